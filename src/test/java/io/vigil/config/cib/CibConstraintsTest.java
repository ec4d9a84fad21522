package io.vigil.config.cib;

import static io.vigil.config.cib.Cibs.configuration;
import static io.vigil.config.cib.Cibs.notes;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AttributeExpression;
import io.vigil.model.AttributeExpression.Operator;
import io.vigil.model.AttributeExpression.ValueType;
import io.vigil.model.Colocation;
import io.vigil.model.DateExpression;
import io.vigil.model.FencingLevel;
import io.vigil.model.Location;
import io.vigil.model.Order;
import io.vigil.model.ResourceSet;
import io.vigil.model.Role;
import io.vigil.model.Rule;
import io.vigil.model.Score;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CibConstraintsTest {
  private static final String BASE = """
      <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
      <resources>
        <primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/>
        <primitive id="b" class="ocf" provider="heartbeat" type="Dummy"/>
        <primitive id="c" class="ocf" provider="heartbeat" type="Dummy"/>
        <clone id="ms"><meta_attributes id="msm"><nvpair id="p" name="promotable" value="true"/></meta_attributes>
          <primitive id="s" class="ocf" provider="pacemaker" type="Stateful"/></clone>
        <primitive id="fence1" class="stonith" type="fence_ipmilan"/>
      </resources>
      """;

  private static CibImport constraints(String inner) {
    return configuration(BASE + "<constraints>" + inner + "</constraints>");
  }

  @Test
  void simpleLocationWithRoleAndDiscovery() {
    CibImport i = constraints("""
        <rsc_location id="l1" rsc="a" node="n1" score="100"/>
        <rsc_location id="l2" rsc="ms" node="n2" score="-INFINITY" role="Master" resource-discovery="never"/>
        <rsc_location id="l3" rsc-pattern="^[ab]$" node="n1" score="5"/>""");
    assertThat(i.config().constraints()).containsExactly(
        Location.of("l1", "a", "n1", Score.of(100)),
        new Location("l2", Optional.of("ms"), Optional.empty(), Optional.of("n2"), Optional.of(Score.MINUS_INFINITY),
            List.of(), Optional.of(Role.PROMOTED), "never"),
        new Location("l3", Optional.empty(), Optional.of("^[ab]$"), Optional.of("n1"), Optional.of(Score.of(5)),
            List.of(), Optional.empty(), "always"));
    assertThat(i.notes()).isEmpty();
  }

  @Test
  void locationRulesWithAttributeDateAndNestedExpressions() {
    CibImport i = constraints("""
        <rsc_location id="l" rsc="a">
          <rule id="r1" score="INFINITY" boolean-op="or">
            <expression id="e1" attribute="#uname" operation="eq" value="n1"/>
            <expression id="e2" attribute="cpus" operation="gt" value="4"/>
            <expression id="e3" attribute="load" operation="lt" value="0.5"/>
            <expression id="e4" attribute="site" operation="defined"/>
            <expression id="e5" attribute="ver" operation="gte" value="2.1" type="version"/>
            <rule id="r1n" boolean-op="and">
              <date_expression id="d1" operation="in_range" start="2025-01-01">
                <duration id="d1d" months="1" days="2"/>
              </date_expression>
              <date_expression id="d2" operation="date_spec"><date_spec id="d2s" hours="9-17" weekdays="1-5"/></date_expression>
              <date_expression id="d3" operation="lt" end="2030-01-01"/>
            </rule>
          </rule>
          <rule id="r2" score-attribute="prefer" role="Slave">
            <expression id="e6" attribute="#id" operation="ne" value="2" value-source="literal"/>
          </rule>
        </rsc_location>""");
    Rule nested = new Rule("r1n", Optional.empty(), Optional.empty(), Optional.empty(), Rule.BooleanOp.AND, List.of(
        new DateExpression("d1", "in_range", Optional.of("2025-01-01"), Optional.empty(), Map.of("months", "1", "days", "2"), Map.of()),
        new DateExpression("d2", "date_spec", Optional.empty(), Optional.empty(), Map.of(), Map.of("hours", "9-17", "weekdays", "1-5")),
        new DateExpression("d3", "lt", Optional.empty(), Optional.of("2030-01-01"), Map.of(), Map.of())));
    Rule r1 = new Rule("r1", Optional.of(Score.INFINITY), Optional.empty(), Optional.empty(), Rule.BooleanOp.OR, List.of(
        new AttributeExpression("e1", "#uname", Operator.EQ, Optional.of("n1"), ValueType.STRING, "literal"),
        new AttributeExpression("e2", "cpus", Operator.GT, Optional.of("4"), ValueType.INTEGER, "literal"),
        new AttributeExpression("e3", "load", Operator.LT, Optional.of("0.5"), ValueType.NUMBER, "literal"),
        new AttributeExpression("e4", "site", Operator.DEFINED, Optional.empty(), ValueType.STRING, "literal"),
        new AttributeExpression("e5", "ver", Operator.GTE, Optional.of("2.1"), ValueType.VERSION, "literal"),
        nested));
    Rule r2 = new Rule("r2", Optional.empty(), Optional.of("prefer"), Optional.of(Role.UNPROMOTED), Rule.BooleanOp.AND, List.of(
        new AttributeExpression("e6", "#id", Operator.NE, Optional.of("2"), ValueType.STRING, "literal")));
    assertThat(i.config().constraints()).containsExactly(new Location("l", Optional.of("a"), Optional.empty(),
        Optional.empty(), Optional.empty(), List.of(r1, r2), Optional.empty(), "always"));
  }

  @Test
  void rulesThatCannotBeExpressedAreSkippedWholeAndIdRefsResolve() {
    CibImport i = constraints("""
        <rsc_location id="l1" rsc="a">
          <rule id="shared" score="10"><expression id="e1" attribute="site" operation="eq" value="x"/></rule>
        </rsc_location>
        <rsc_location id="l2" rsc="b"><rule id-ref="shared"/></rsc_location>
        <rsc_location id="l3" rsc="c">
          <rule id="bad" score="10"><rsc_expression id="re" class="ocf"/></rule>
        </rsc_location>
        <rsc_location id="l4" rsc="c">
          <rule id="bad2" score="10"><expression id="e2" attribute="x" operation="like" value="y"/></rule>
        </rsc_location>""");
    Location l2 = (Location) i.config().constraints().get(1);
    assertThat(l2.rules()).extracting(Rule::id).containsExactly("shared");
    assertThat(i.config().constraints()).hasSize(2);
    assertThat(notes(i)).containsExactly(
        "skipped constraints/rsc_location 'l3'/rule 'bad'/rsc_expression 're': resource and operation expressions are not supported (the whole rule is skipped)",
        "skipped constraints/rsc_location 'l3': none of its rules could be imported",
        "skipped constraints/rsc_location 'l4'/rule 'bad2'/expression 'e2': operation 'like' (expected lt, gt, lte, gte, eq, ne, defined or not_defined)",
        "skipped constraints/rsc_location 'l4': none of its rules could be imported");
  }

  @Test
  void colocationWithLegacyRolesNodeAttributeInfluenceAndSets() {
    CibImport i = constraints("""
        <rsc_colocation id="c1" rsc="a" with-rsc="ms" with-rsc-role="Master" score="INFINITY" node-attribute="site" influence="false"/>
        <rsc_colocation id="c2" score="-500">
          <resource_set id="c2-1" sequential="false"><resource_ref id="a"/><resource_ref id="b"/></resource_set>
          <resource_set id="c2-2" role="Promoted"><resource_ref id="ms"/></resource_set>
        </rsc_colocation>
        <rsc_colocation id="c3" rsc="a" with-rsc="s" score="10"/>""");
    assertThat(i.config().constraints()).containsExactly(
        new Colocation("c1", Score.INFINITY, Optional.of("a"), Optional.empty(), Optional.of("ms"), Optional.of(Role.PROMOTED),
            Optional.of("site"), Optional.of(false), List.of()),
        new Colocation("c2", Score.of(-500), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(
                new ResourceSet("c2-1", List.of("a", "b"), false, true, Optional.empty(), Optional.empty()),
                new ResourceSet("c2-2", List.of("ms"), true, true, Optional.of(Role.PROMOTED), Optional.empty()))),
        Colocation.of("c3", "a", "ms", Score.of(10)));
    assertThat(notes(i)).containsExactly(
        "adjusted constraints/rsc_colocation 'c3': names 's', which is cloned; written as the clone 'ms'");
  }

  @Test
  void orderKindsLegacyScoresActionsAndSets() {
    CibImport i = constraints("""
        <rsc_order id="o1" first="a" then="b" kind="Serialize" symmetrical="false"/>
        <rsc_order id="o2" first="a" then="c" score="0"/>
        <rsc_order id="o3" first="ms" first-action="promote" then="a" then-action="start" score="INFINITY"/>
        <rsc_order id="o4" kind="Optional">
          <resource_set id="o4-1" sequential="false" require-all="false"><resource_ref id="a"/><resource_ref id="b"/></resource_set>
          <resource_set id="o4-2" action="stop"><resource_ref id="c"/></resource_set>
        </rsc_order>
        <rsc_order id="o5" first="a" then="b" first-action="monitor"/>
        <rsc_ticket id="t1" rsc="a" ticket="tk" loss-policy="stop"/>""");
    assertThat(i.config().constraints()).containsExactly(
        new Order("o1", Order.Kind.SERIALIZE, Optional.of("a"), Optional.empty(), Optional.of("b"), Optional.empty(),
            Optional.of(false), List.of()),
        new Order("o2", Order.Kind.OPTIONAL, Optional.of("a"), Optional.empty(), Optional.of("c"), Optional.empty(),
            Optional.empty(), List.of()),
        new Order("o3", Order.Kind.MANDATORY, Optional.of("ms"), Optional.of(Order.Action.PROMOTE), Optional.of("a"),
            Optional.of(Order.Action.START), Optional.empty(), List.of()),
        new Order("o4", Order.Kind.OPTIONAL, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(
                new ResourceSet("o4-1", List.of("a", "b"), false, false, Optional.empty(), Optional.empty()),
                new ResourceSet("o4-2", List.of("c"), true, true, Optional.empty(), Optional.of(Order.Action.STOP)))));
    assertThat(notes(i)).containsExactly(
        "adjusted constraints/rsc_order 'o2': legacy score 0 written as kind Optional",
        "adjusted constraints/rsc_order 'o3': legacy score INFINITY written as kind Mandatory",
        "skipped constraints/rsc_order 'o5': first-action 'monitor' (expected start, stop, promote or demote)",
        "skipped constraints/rsc_ticket 't1': tickets are not supported");
  }

  @Test
  void orderOddities_AreResolvedAsPacemakerDoes() {
    CibImport i = constraints("""
        <rsc_order id="o1" first="a" then="b" kind="Sometimes"/>
        <rsc_order id="o2" first="a" then="c" kind="Serialize" symmetrical="true"/>
        <rsc_order id="o3" first="a" then="b" require-all="false"/>
        <rsc_order id="o4" first="ms" then="a" require-all="false"/>
        <rsc_order id="o5" first="a" then="c" score="-100"/>""");
    assertThat(i.config().constraints()).containsExactly(
        Order.of("o1", "a", "b"),
        new Order("o2", Order.Kind.SERIALIZE, Optional.of("a"), Optional.empty(), Optional.of("c"), Optional.empty(),
            Optional.empty(), List.of()),
        Order.of("o3", "a", "b"),
        Order.of("o4", "ms", "a"),
        Order.of("o5", "a", "c"));
    assertThat(i.config().resource("ms").orElseThrow().meta().get(io.vigil.model.Meta.CLONE_MIN)).contains(1);
    assertThat(notes(i)).containsExactly(
        "adjusted constraints/rsc_order 'o1': kind 'Sometimes' is not Mandatory, Optional or Serialize; written as Mandatory, as Pacemaker resets it",
        "adjusted constraints/rsc_order 'o2': symmetrical=true is not valid with kind Serialize; dropped, as Pacemaker ignores it",
        "adjusted constraints/rsc_order 'o3': require-all=false is ignored: it applies only when first is a clone, as in Pacemaker",
        "adjusted constraints/rsc_order 'o5': legacy score -100 written as kind Mandatory (Pacemaker treats any non-zero score as Mandatory)",
        "adjusted constraints/rsc_order 'o4': require-all=false written as clone-min=1 on clone 'ms' "
            + "(every ordering with it first says the same)");
  }

  @Test
  void requireAllFalseThatOtherOrderingsContradictIsSkipped() {
    CibImport i = constraints("""
        <rsc_order id="o1" first="ms" then="a" require-all="false"/>
        <rsc_order id="o2" first="ms" then="b"/>""");
    assertThat(i.config().constraints()).containsExactly(Order.of("o2", "ms", "b"));
    assertThat(i.config().resource("ms").orElseThrow().meta().get(io.vigil.model.Meta.CLONE_MIN)).isEmpty();
    assertThat(notes(i)).containsExactly("skipped constraints/rsc_order 'o1': require-all=false (deprecated: then may "
        + "start once one instance of clone 'ms' is up) cannot be expressed here: other orderings of the clone differ "
        + "or it sets clone-min");
  }

  @Test
  void colocationBetweenTwoTemplatesIsSkippedAsPacemakerIgnoresIt() {
    CibImport i = configuration("""
        <resources>
          <template id="t1" class="ocf" provider="heartbeat" type="Dummy"/>
          <template id="t2" class="ocf" provider="heartbeat" type="Dummy"/>
          <primitive id="r1" template="t1"/><primitive id="r2" template="t2"/>
        </resources>
        <constraints><rsc_colocation id="c" rsc="t1" with-rsc="t2" score="INFINITY"/></constraints>""");
    assertThat(i.config().constraints()).isEmpty();
    assertThat(notes(i)).containsExactly(
        "skipped constraints/rsc_colocation 'c': colocates two templates or tags, which Pacemaker ignores");
  }

  @Test
  void templatesAndTagsInConstraintsBecomeUnorderedSets() {
    CibImport i = configuration("""
        <resources>
          <template id="tpl" class="ocf" provider="heartbeat" type="Dummy"/>
          <primitive id="t1" template="tpl"/><primitive id="t2" template="tpl"/>
          <primitive id="x" class="ocf" provider="heartbeat" type="Dummy"/>
        </resources>
        <tags><tag id="both"><obj_ref id="t1"/><obj_ref id="x"/></tag></tags>
        <constraints>
          <rsc_colocation id="c" rsc="x" with-rsc="tpl" score="INFINITY"/>
          <rsc_order id="o" first="both" then="t2"/>
        </constraints>""");
    assertThat(i.config().constraints()).containsExactly(
        new Colocation("c", Score.INFINITY, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(
                new ResourceSet("c-rsc", List.of("x"), true, true, Optional.empty(), Optional.empty()),
                new ResourceSet("c-with-rsc", List.of("t1", "t2"), false, true, Optional.empty(), Optional.empty()))),
        new Order("o", Order.Kind.MANDATORY, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(
                new ResourceSet("o-first", List.of("t1", "x"), false, true, Optional.empty(), Optional.empty()),
                new ResourceSet("o-then", List.of("t2"), true, true, Optional.empty(), Optional.empty()))));
    assertThat(notes(i)).containsExactly(
        "adjusted constraints/rsc_colocation 'c': a template or tag is written as a resource set of its resources",
        "adjusted constraints/rsc_order 'o': a template or tag is written as a resource set of its resources");
  }

  @Test
  void constraintsOnUnknownResourcesOrNodesAreSkipped() {
    CibImport i = constraints("""
        <rsc_location id="l1" rsc="nope" node="n1" score="1"/>
        <rsc_location id="l2" rsc="a" node="n9" score="1"/>
        <rsc_colocation id="c1" rsc="a" with-rsc="a" score="1"/>""");
    assertThat(i.config().constraints()).isEmpty();
    assertThat(notes(i)).containsExactly(
        "skipped constraints/rsc_location 'l1': names resource 'nope', which is not defined in the CIB",
        "skipped constraints/rsc_location 'l2': names node 'n9', which is not in <nodes> (Pacemaker keeps it for a node "
            + "that may join later; Vigil needs every node configured)",
        "skipped constraints/rsc_colocation 'c1': colocates 'a' with itself");
  }

  @Test
  void referencesToRemoteNodesSayTheNodeWasNotImported() {
    CibImport i = configuration("""
        <nodes><node id="1" uname="n1"/><node id="r1" uname="remote1" type="remote"/></nodes>
        <resources><primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/></resources>
        <constraints><rsc_location id="l" rsc="a" node="remote1" score="10"/></constraints>""");
    assertThat(i.config().constraints()).isEmpty();
    assertThat(notes(i)).containsExactly(
        "skipped nodes/node 'r1': Pacemaker Remote nodes are not supported (every Vigil node runs the full daemon)",
        "skipped constraints/rsc_location 'l': names node 'remote1', a remote or guest node, which was not imported");
  }

  @Test
  void fencingTopologyByNameAndPatternAttributeTargetsNoted() {
    CibImport i = configuration(BASE + """
        <fencing-topology>
          <fencing-level id="f1" target="n1" index="1" devices="fence1"/>
          <fencing-level id="f2" target-pattern="n[0-9]" index="2" devices="fence1, fence1"/>
          <fencing-level id="f3" target-attribute="rack" target-value="r1" index="1" devices="fence1"/>
          <fencing-level id="f4" target="n2" index="1" devices="a"/>
        </fencing-topology>""");
    assertThat(i.config().fencingLevels()).containsExactly(
        new FencingLevel("n1", false, 1, List.of("fence1")),
        new FencingLevel("n[0-9]", true, 2, List.of("fence1", "fence1")));
    assertThat(notes(i)).containsExactly(
        "skipped fencing-topology/fencing-level 'f3': targets chosen by node attribute (target-attribute) are not supported; use target or target-pattern",
        "skipped fencing-topology/fencing-level 1 for 'n2': device 'a' is not an imported fence device (stonith primitive)");
  }
}
