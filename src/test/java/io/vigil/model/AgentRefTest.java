package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentRefTest {
  @Test
  void parsesEveryClass() {
    assertThat(AgentRef.parse("ocf:heartbeat:IPaddr2")).isEqualTo(AgentRef.ocf("heartbeat", "IPaddr2"));
    assertThat(AgentRef.parse("lsb:foo")).isEqualTo(new AgentRef(ResourceClass.LSB, "", "foo"));
    assertThat(AgentRef.parse("systemd:getty@tty1.service").type()).isEqualTo("getty@tty1.service");
    assertThat(AgentRef.parse("BUILTIN:ip").resourceClass()).isEqualTo(ResourceClass.BUILTIN);
    assertThat(AgentRef.parse("stonith:external/ipmi").type()).isEqualTo("external/ipmi");
    assertThat(AgentRef.parse("lsb:/usr/lib/heartbeat/cts/LSBDummy").type()).isEqualTo("/usr/lib/heartbeat/cts/LSBDummy");
    assertThatThrownBy(() -> AgentRef.parse("lsb:/usr/../bin/sh")).hasMessageContaining("not a valid name");
    assertThatThrownBy(() -> AgentRef.parse("ocf:heartbeat:/bin/sh")).hasMessageContaining("not a valid name");
  }

  @Test
  void printsBackTheSameSpecification() {
    for (String s : new String[] {"ocf:pacemaker:Stateful", "lsb:ssh", "systemd:nginx", "builtin:dummy", "stonith:fence_xvm"}) {
      assertThat(AgentRef.parse(s)).hasToString(s);
    }
  }

  @Test
  void missingClassSaysWhatWasExpected() {
    assertThatThrownBy(() -> AgentRef.parse("Dummy"))
        .hasMessage("agent 'Dummy' has no class: expected e.g. ocf:heartbeat:Dummy, lsb:Dummy, systemd:Dummy or builtin:Dummy");
  }

  @Test
  void ocfWithoutProviderIsRejected() {
    assertThatThrownBy(() -> AgentRef.parse("ocf:Dummy"))
        .hasMessage("agent 'ocf:Dummy': expected ocf:PROVIDER:TYPE, e.g. ocf:heartbeat:Dummy");
    assertThatThrownBy(() -> new AgentRef(ResourceClass.LSB, "x", "y")).hasMessageContaining("takes no provider");
  }

  @Test
  void unknownClassListsTheKnownOnes() {
    assertThatThrownBy(() -> AgentRef.parse("heartbeat:IPaddr"))
        .hasMessage("agent 'heartbeat:IPaddr': unknown agent class 'heartbeat': expected one of ocf, lsb, systemd, service, stonith, builtin");
  }

  @Test
  void pathTraversalInNamesIsRejected() {
    assertThatThrownBy(() -> AgentRef.parse("ocf:heartbeat:../../bin/sh")).hasMessageContaining("not a valid name");
    assertThatThrownBy(() -> AgentRef.parse("ocf:../x:Dummy")).hasMessageContaining("provider");
    assertThatThrownBy(() -> AgentRef.parse("lsb:..")).hasMessageContaining("not a valid name");
    assertThatThrownBy(() -> AgentRef.parse("ocf:heartbeat:a:b")).hasMessageContaining("not a valid name");
    assertThatThrownBy(() -> AgentRef.parse("stonith:../x")).hasMessageContaining("not a valid name");
    assertThatThrownBy(() -> AgentRef.parse("stonith:a/b/c")).hasMessageContaining("not a valid name");
  }

  @Test
  void emptyIsRejected() {
    assertThatThrownBy(() -> AgentRef.parse(" ")).hasMessageStartingWith("empty agent");
  }
}
