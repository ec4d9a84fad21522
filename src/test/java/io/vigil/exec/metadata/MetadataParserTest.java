package io.vigil.exec.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetadataParserTest {

  static final String DUMMY = """
      <?xml version="1.0"?>
      <!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
      <resource-agent name="Dummy" version="1.0">
      <version>1.0</version>
      <longdesc lang="en">This is a Dummy Resource Agent.</longdesc>
      <shortdesc lang="en">Example stateless resource agent</shortdesc>
      <parameters>
      <parameter name="state" unique="1">
      <longdesc lang="en">Location to store the resource state in.</longdesc>
      <shortdesc lang="en">State file</shortdesc>
      <content type="string" default="/run/Dummy.state" />
      </parameter>
      <parameter name="ip" required="1">
      <shortdesc lang="en">IP address</shortdesc>
      <content type="string"/>
      </parameter>
      <parameter name="fake" deprecated="true">
      <shortdesc lang="en">Fake attribute</shortdesc>
      <content type="integer" default="42" />
      </parameter>
      </parameters>
      <actions>
      <action name="start"        timeout="20s" />
      <action name="monitor"      timeout="20s" interval="10s" depth="0"/>
      <action name="monitor"      timeout="20s" interval="11s" depth="0" role="Promoted"/>
      <action name="promote"      timeout="10" />
      <action name="demote"       timeout="10" />
      <action name="meta-data"    timeout="5s" />
      </actions>
      </resource-agent>
      """;

  @Test
  void parsesParametersAndActionsOfARealShape() throws Exception {
    AgentMetadata m = MetadataParser.parse("ocf:heartbeat:Dummy", DUMMY);
    assertThat(m.name()).isEqualTo("Dummy");
    assertThat(m.shortDesc()).isEqualTo("Example stateless resource agent");
    assertThat(m.parameters()).extracting(ParameterSpec::name).containsExactly("state", "ip", "fake");
    ParameterSpec state = m.parameter("state").orElseThrow();
    assertThat(state.unique()).isTrue();
    assertThat(state.required()).isFalse();
    assertThat(state.defaultValue()).contains("/run/Dummy.state");
    assertThat(m.parameter("ip").orElseThrow().required()).isTrue();
    assertThat(m.parameter("fake").orElseThrow().type()).isEqualTo("integer");
    assertThat(m.parameter("fake").orElseThrow().deprecated()).isTrue();
    assertThat(m.action("monitor").orElseThrow())
        .isEqualTo(new ActionSpec("monitor", Optional.of(Duration.ofSeconds(20)), Optional.of(Duration.ofSeconds(10)),
            Optional.of(0), Optional.empty()));
    assertThat(m.actions()).filteredOn(a -> a.role().isPresent()).singleElement()
        .extracting(a -> a.role().get()).isEqualTo("Promoted");
    assertThat(m.action("promote").orElseThrow().timeout()).contains(Duration.ofSeconds(10));
    assertThat(m.promotable()).isTrue();
  }

  @Test
  void malformedXmlIsALocatedError() {
    assertThatThrownBy(() -> MetadataParser.parse("ocf:x:Broken", "<resource-agent>\n<parameters>\n</resource-agent>"))
        .isInstanceOf(MetadataException.class)
        .hasMessageStartingWith("ocf:x:Broken: meta-data is not well-formed XML (line 3");
  }

  @Test
  void emptyOutputIsRejected() {
    assertThatThrownBy(() -> MetadataParser.parse("lsb:x", "  "))
        .hasMessage("lsb:x: meta-data is empty, expected <resource-agent> XML");
  }

  @Test
  void wrongRootIsRejected() {
    assertThatThrownBy(() -> MetadataParser.parse("ocf:x:y", "<html><body/></html>"))
        .hasMessage("ocf:x:y: meta-data line 1: root element is <html>, expected <resource-agent>");
  }

  @Test
  void billionLaughsIsRefusedWithoutExpansion() {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY l0 \"lol\">\n");
    for (int i = 1; i < 10; i++) {
      xml.append("<!ENTITY l").append(i).append(" \"");
      xml.append(("&l" + (i - 1) + ";").repeat(10)).append("\">\n");
    }
    xml.append("]>\n<resource-agent name=\"x\"><shortdesc>&l9;</shortdesc></resource-agent>");
    assertThatThrownBy(() -> MetadataParser.parse("ocf:evil:lol", xml.toString()))
        .isInstanceOf(MetadataException.class)
        .hasMessageContaining("ocf:evil:lol: meta-data")
        .hasMessageContaining("l9");
  }

  @Test
  void externalEntitiesAreNeverRead() {
    String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        + "<resource-agent name=\"x\"><shortdesc>&x;</shortdesc></resource-agent>";
    assertThatThrownBy(() -> MetadataParser.parse("ocf:evil:xxe", xml))
        .isInstanceOf(MetadataException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("root:"));
  }

  @Test
  void externalDtdIsNotFetched() throws Exception {
    String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE resource-agent SYSTEM \"http://198.51.100.1/ra-api-1.dtd\">\n"
        + "<resource-agent name=\"x\"><shortdesc>ok</shortdesc></resource-agent>";
    assertThat(MetadataParser.parse("ocf:a:b", xml).shortDesc()).isEqualTo("ok");
  }

  @Test
  void deepNestingIsRefused() {
    String xml = "<resource-agent>" + "<a>".repeat(100) + "</a>".repeat(100) + "</resource-agent>";
    assertThatThrownBy(() -> MetadataParser.parse("ocf:a:deep", xml)).hasMessageContaining("deeper than 16 levels");
  }

  @Test
  void badTimeoutNamesTheAction() {
    String xml = "<resource-agent name=\"x\"><actions>\n<action name=\"start\" timeout=\"soon\"/></actions></resource-agent>";
    assertThatThrownBy(() -> MetadataParser.parse("ocf:a:b", xml))
        .hasMessage("ocf:a:b: meta-data line 2: action 'start' timeout=\"soon\": 'soon' is not a duration (expected e.g. 500ms, 1.5s, 20s, 5m, 1h30m, PT20S, or seconds as an integer)");
  }

  @Test
  void parameterWithoutNameIsRefused() {
    String xml = "<resource-agent><parameters>\n<parameter required=\"1\"/></parameters></resource-agent>";
    assertThatThrownBy(() -> MetadataParser.parse("ocf:a:b", xml))
        .hasMessage("ocf:a:b: meta-data line 2: <parameter> has no name attribute");
  }

  @Test
  void warningsAroundTheXmlAreDropped() {
    assertThat(MetadataCache.xmlPart("WARNING: foo\n<?xml version=\"1.0\"?><resource-agent></resource-agent>\ntrailer"))
        .isEqualTo("<?xml version=\"1.0\"?><resource-agent></resource-agent>");
  }
}
