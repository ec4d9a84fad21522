package io.vigil.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentRefTest {

  @Test
  void parsesEveryStandard() {
    assertThat(AgentRef.parse("ocf:heartbeat:IPaddr2")).isEqualTo(AgentRef.ocf("heartbeat", "IPaddr2"));
    assertThat(AgentRef.parse("lsb:foo")).isEqualTo(new AgentRef(AgentStandard.LSB, null, "foo"));
    assertThat(AgentRef.parse("systemd:getty@tty1.service").type()).isEqualTo("getty@tty1.service");
    assertThat(AgentRef.parse("BUILTIN:ip").standard()).isEqualTo(AgentStandard.BUILTIN);
  }

  @Test
  void printsBackTheSameSpecification() {
    for (String s : new String[] {"ocf:pacemaker:Stateful", "lsb:ssh", "systemd:nginx", "builtin:dummy"}) {
      assertThat(AgentRef.parse(s)).hasToString(s);
    }
  }

  @Test
  void missingStandardSaysWhatWasExpected() {
    assertThatThrownBy(() -> AgentRef.parse("Dummy"))
        .hasMessage("agent 'Dummy' has no standard: expected e.g. ocf:heartbeat:Dummy, lsb:Dummy, systemd:Dummy or builtin:Dummy");
  }

  @Test
  void ocfWithoutProviderIsRejected() {
    assertThatThrownBy(() -> AgentRef.parse("ocf:Dummy"))
        .hasMessage("agent 'ocf:Dummy': expected ocf:PROVIDER:TYPE, e.g. ocf:heartbeat:Dummy");
  }

  @Test
  void unknownStandardListsTheKnownOnes() {
    assertThatThrownBy(() -> AgentRef.parse("stonith:fence_xvm"))
        .hasMessageContaining("unknown agent standard 'stonith': expected one of ocf, lsb, systemd, builtin");
  }

  @Test
  void pathTraversalInNamesIsRejected() {
    assertThatThrownBy(() -> AgentRef.parse("ocf:heartbeat:../../bin/sh")).hasMessageContaining("not a valid name");
    assertThatThrownBy(() -> AgentRef.parse("ocf:../x:Dummy")).hasMessageContaining("provider");
    assertThatThrownBy(() -> AgentRef.parse("lsb:..")).hasMessageContaining("not a valid name");
    assertThatThrownBy(() -> AgentRef.parse("ocf:heartbeat:a:b")).hasMessageContaining("not a valid name");
  }

  @Test
  void emptyIsRejected() {
    assertThatThrownBy(() -> AgentRef.parse(" ")).hasMessageStartingWith("empty agent");
  }
}
