package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentRefTest {
  @Test
  void parsesEveryClass() {
    assertThat(AgentRef.parse("ocf:heartbeat:IPaddr2")).isEqualTo(new AgentRef(ResourceClass.OCF, "heartbeat", "IPaddr2"));
    assertThat(AgentRef.parse("lsb:postfix").toString()).isEqualTo("lsb:postfix");
    assertThat(AgentRef.parse("systemd:getty@tty1").type()).isEqualTo("getty@tty1");
    assertThat(AgentRef.parse("stonith:external/ipmi").type()).isEqualTo("external/ipmi");
  }

  @Test
  void slashesOnlyForStonithPluginsAndNeverTraversal() {
    assertThatThrownBy(() -> AgentRef.parse("ocf:heartbeat:../../bin/sh")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AgentRef.parse("stonith:../x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AgentRef.parse("stonith:a/b/c")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void explainsBadNames() {
    assertThatThrownBy(() -> AgentRef.parse("ocf:Dummy")).hasMessage("agent 'ocf::Dummy' needs a provider (class:provider:type)");
    assertThatThrownBy(() -> AgentRef.parse("lsb:x:y")).hasMessage("agent class 'lsb' takes no provider (expected lsb:y)");
    assertThatThrownBy(() -> AgentRef.parse("Dummy")).hasMessageStartingWith("'Dummy' is not an agent name");
  }
}
