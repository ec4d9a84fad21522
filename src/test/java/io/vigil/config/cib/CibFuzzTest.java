package io.vigil.config.cib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Mutated and random inputs: the importer imports or refuses with a message, and never fails internally. */
class CibFuzzTest {
  static final String SAMPLE = """
      <cib validate-with="pacemaker-3.9"><configuration>
        <crm_config><cluster_property_set id="cib-bootstrap-options">
          <nvpair id="p1" name="stonith-enabled" value="true"/><nvpair id="p2" name="cluster-name" value="c"/>
        </cluster_property_set></crm_config>
        <nodes><node id="1" uname="n1"><instance_attributes id="na"><nvpair id="s" name="standby" value="off"/></instance_attributes>
          <utilization id="nu"><nvpair id="nu1" name="cpu" value="4"/></utilization></node><node id="2" uname="n2"/></nodes>
        <resources>
          <template id="t" class="ocf" provider="heartbeat" type="Dummy"><operations><op id="to" name="monitor" interval="10s"/></operations></template>
          <primitive id="a" template="t"/>
          <primitive id="f" class="stonith" type="fence_xvm"/>
          <group id="g"><meta_attributes id="gm"><nvpair id="gm1" name="target-role" value="Started"/></meta_attributes>
            <primitive id="b" class="ocf" provider="heartbeat" type="IPaddr2">
              <instance_attributes id="bi"><nvpair id="bi1" name="ip" value="10.0.0.1"/></instance_attributes>
              <operations><op id="bo" name="monitor" interval="20s" timeout="30s" role="Slave" on-fail="fence"/></operations>
            </primitive></group>
          <clone id="ms"><meta_attributes id="msm"><nvpair id="msm1" name="promotable" value="true"/>
            <nvpair id="msm2" name="clone-max" value="2"/></meta_attributes>
            <primitive id="s" class="ocf" provider="pacemaker" type="Stateful"/></clone>
        </resources>
        <constraints>
          <rsc_location id="l" rsc="a"><rule id="r" score="50" boolean-op="or">
            <expression id="e" attribute="#uname" operation="eq" value="n1"/>
            <date_expression id="d" operation="in_range" start="2025-01-01"><duration id="dd" days="3"/></date_expression>
            <rule id="rr"><expression id="e2" attribute="x" operation="gt" value="3"/></rule></rule></rsc_location>
          <rsc_location id="l2" rsc="g" node="n2" score="-INFINITY"/>
          <rsc_colocation id="c" rsc="g" with-rsc="ms" with-rsc-role="Master" score="INFINITY"/>
          <rsc_order id="o" first="ms" first-action="promote" then="g" then-action="start"/>
          <rsc_order id="o2" kind="Optional"><resource_set id="rs" sequential="false"><resource_ref id="a"/><resource_ref id="t"/></resource_set>
            <resource_set id="rs2"><resource_ref id="g"/></resource_set></rsc_order>
          <rsc_location id="l3" rsc="b"><rule id-ref="r"/></rsc_location>
        </constraints>
        <fencing-topology><fencing-level id="fl" target="n1" index="1" devices="f"/></fencing-topology>
        <rsc_defaults><meta_attributes id="rd"><nvpair id="rd1" name="resource-stickiness" value="100"/></meta_attributes></rsc_defaults>
        <op_defaults><meta_attributes id="od"><nvpair id="od1" name="timeout" value="60s"/></meta_attributes></op_defaults>
      </configuration><status/></cib>""";

  private static final List<String> SNIPPETS = List.of("<", ">", "&", "&amp;", "]]>", "<!DOCTYPE x>", "\"", "'",
      "<rule id-ref=\"r\"/>", "<rule id-ref=\"l\"/>", "<nvpair id-ref=\"p1\"/>", "<resource_ref id=\"nope\"/>",
      "<bundle id=\"bb\"/>", "<master id=\"m\"><primitive id=\"x\" class=\"ocf\" provider=\"p\" type=\"t\"/></master>",
      "\u0000", "\uFFFF", "<?xml version=\"1.0\"?>", "<![CDATA[x]]>", "<!-- c -->");
  private static final List<String> VALUES = List.of("", " ", "-INFINITY", "INFINITY", "abc", "99999999999999999999",
      "-1", "0", "P", "P10S", "#default", "lrm://", "Master", "yes", "n1", "a", "r", "1.5", "10s", "x y", "..");

  private static void importsOrRefusesCleanly(byte[] xml) {
    try {
      CibImport i = new CibImporter().importBytes(xml, "fuzz.xml");
      assertThat(i.config()).isNotNull();
    } catch (CibRefusedException e) {
      assertThat(e.getMessage()).startsWith("fuzz.xml").doesNotContain("please report");
    }
  }

  @net.jqwik.api.Example
  void theUnmutatedSampleImportsWhole() throws CibRefusedException {
    CibImport i = new CibImporter().importBytes(SAMPLE.getBytes(StandardCharsets.UTF_8), "fuzz.xml");
    assertThat(i.config().allResources()).extracting(r -> r.id()).containsExactly("a", "f", "g", "b", "ms", "s");
    assertThat(i.config().constraints()).hasSize(6);
    assertThat(i.config().fencingLevels()).hasSize(1);
    assertThat(Cibs.notes(i)).containsExactly(
        "adjusted constraints/rsc_order 'o2'/resource_set 'rs': templates and tags in the set are replaced by their resources");
  }

  @Property(tries = 200)
  void truncatedSampleImportsOrIsRefused(@ForAll("cuts") int cut) {
    importsOrRefusesCleanly(SAMPLE.substring(0, Math.min(cut, SAMPLE.length())).getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers().between(0, SAMPLE.length());
  }

  @Property(tries = 300)
  void snippetInsertedAnywhereImportsOrIsRefused(@ForAll("cuts") int at, @ForAll("snippets") String snippet) {
    importsOrRefusesCleanly((SAMPLE.substring(0, at) + snippet + SAMPLE.substring(at)).getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<String> snippets() {
    return Arbitraries.of(SNIPPETS);
  }

  /** Replaces every attribute value with a hostile or odd one: exercises every converter path. */
  @Property(tries = 300)
  void everyAttributeValueReplacedImportsWithoutInternalFailure(@ForAll("valueChoices") List<Integer> choices) {
    Matcher m = Pattern.compile("=\"([^\"]*)\"").matcher(SAMPLE);
    StringBuilder out = new StringBuilder();
    int k = 0;
    while (m.find()) {
      int pick = choices.get(k++ % choices.size());
      String replacement = pick < VALUES.size() ? VALUES.get(pick) : m.group(1);
      m.appendReplacement(out, Matcher.quoteReplacement("=\"" + replacement + "\""));
    }
    m.appendTail(out);
    importsOrRefusesCleanly(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<List<Integer>> valueChoices() {
    // Mostly keep the original value (index past VALUES) so the document stays a CIB.
    return Arbitraries.integers().between(0, VALUES.size() * 4).list().ofMinSize(1).ofMaxSize(200);
  }

  @Property(tries = 100)
  void randomBytesAreRefusedOrImported(@ForAll byte[] bytes) {
    importsOrRefusesCleanly(bytes);
  }
}
