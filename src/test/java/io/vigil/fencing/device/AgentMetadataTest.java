package io.vigil.fencing.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentMetadataTest {
  private static final String XML = """
      <?xml version="1.0" ?>
      <resource-agent name="fence_x" shortdesc="x">
      <parameters>
        <parameter name="action" required="1"><content type="string" default="reboot"/></parameter>
        <parameter name="ip" required="1" obsoletes="ipaddr"><content type="string"/></parameter>
        <parameter name="ipaddr" required="0" deprecated="1"><content type="string"/></parameter>
        <parameter name="ipport"><content type="integer" default="623"/></parameter>
        <parameter name="passwd"><content type="string"/></parameter>
        <parameter name="method"><content type="select"><option value="onoff"/><option value="cycle"/></content></parameter>
      </parameters>
      <actions><action name="off"/><action name="status"/></actions>
      </resource-agent>
      """;

  @Test
  void requiredParameterIsSatisfiedByItsObsoleteName() {
    AgentMetadata m = AgentMetadata.parse("fence_x", XML);
    assertThat(m.validate("d", Map.of("ipaddr", "1.2.3.4"), Set.of())).isEmpty();
    assertThat(m.validate("d", Map.of(), Set.of())).containsExactly("fence device 'd' (fence_x): required parameter 'ip' is missing");
  }

  @Test
  void typesAndOptionsAreChecked() {
    AgentMetadata m = AgentMetadata.parse("fence_x", XML);
    assertThat(m.validate("d", Map.of("ip", "a", "ipport", "x", "method", "kick"), Set.of("passwd")))
        .containsExactly("fence device 'd' (fence_x): parameter 'ipport' is 'x', expected an integer",
            "fence device 'd' (fence_x): parameter 'method' is 'kick', expected one of onoff, cycle");
  }

  @Test
  void doctypeAndExternalEntitiesAreRefused() {
    String evil = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<resource-agent name=\"&x;\"/>";
    assertThatThrownBy(() -> AgentMetadata.parse("evil", evil)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata of 'evil' is not valid XML");
  }

  @Test
  void garbageIsAClearError() {
    assertThatThrownBy(() -> AgentMetadata.parse("g", "Usage: fence_g [options]")).hasMessageContaining("not valid XML");
    assertThatThrownBy(() -> AgentMetadata.parse("g", "<html/>")).hasMessageContaining("expected <resource-agent>");
  }
}
