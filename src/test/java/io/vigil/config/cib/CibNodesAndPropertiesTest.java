package io.vigil.config.cib;

import static io.vigil.config.cib.Cibs.configuration;
import static io.vigil.config.cib.Cibs.notes;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.ClusterProperties;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.OpDefaults;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CibNodesAndPropertiesTest {

  @Test
  void nodesKeepIdAttributesUtilizationAndStandbyGivenAsAttribute() {
    CibImport i = configuration("""
        <nodes>
          <node id="1" uname="alpha" type="member">
            <instance_attributes id="alpha-attrs">
              <nvpair id="a1" name="site" value="east"/>
              <nvpair id="a2" name="standby" value="on"/>
            </instance_attributes>
            <utilization id="alpha-util"><nvpair id="u1" name="memory" value="2048"/></utilization>
          </node>
          <node id="2" uname="beta">
            <instance_attributes id="beta-attrs"><nvpair id="b1" name="maintenance" value="true"/></instance_attributes>
          </node>
        </nodes>""");
    assertThat(i.config().nodes()).containsExactly(
        new Node("alpha", "1", Map.of("site", "east"), true, false, Map.of("memory", 2048)),
        new Node("beta", "2", Map.of(), false, true, Map.of()));
    assertThat(i.notes()).isEmpty();
  }

  @Test
  void remoteNodesAndBadUtilizationAreNotedNotImported() {
    CibImport i = configuration("""
        <nodes>
          <node id="r1" uname="remote1" type="remote"/>
          <node id="n1" uname="n1"><utilization id="u"><nvpair id="u1" name="cpu" value="lots"/></utilization></node>
        </nodes>""");
    assertThat(i.config().nodes()).containsExactly(Node.named("n1").withStandby(false));
    assertThat(i.config().nodes().get(0).id()).isEqualTo("n1");
    assertThat(notes(i)).containsExactly(
        "skipped nodes/node 'r1': Pacemaker Remote nodes are not supported (every Vigil node runs the full daemon)",
        "skipped nodes/node 'n1' utilization 'cpu': value 'lots' is not accepted (expected a non-negative integer)");
  }

  @Test
  void propertiesMapAliasesDropInternalsAndNameTheCluster() {
    CibImport i = configuration("""
        <crm_config>
          <cluster_property_set id="cib-bootstrap-options">
            <nvpair id="p1" name="stonith-enabled" value="false"/>
            <nvpair id="p2" name="no-quorum-policy" value="ignore"/>
            <nvpair id="p3" name="dc-version" value="2.1.5-a3f44794f94"/>
            <nvpair id="p4" name="cluster-infrastructure" value="corosync"/>
            <nvpair id="p5" name="cluster-name" value="prod"/>
            <nvpair id="p6" name="have-watchdog" value="false"/>
            <nvpair id="p7" name="last-lrm-refresh" value="1234"/>
            <nvpair id="p8" name="batch-limit" value="30"/>
            <nvpair id="p9" name="stonith-timeout" value="90"/>
            <nvpair id="p10" name="symetric-cluster" value="true"/>
            <nvpair id="p11" name="placement-strategy" value="fastest"/>
          </cluster_property_set>
        </crm_config>""");
    assertThat(i.config().name()).isEqualTo("prod");
    assertThat(i.config().properties()).isEqualTo(new ClusterProperties(Map.of(
        "fencing-enabled", "false", "no-quorum-policy", "ignore", "fencing-timeout", "90s")));
    assertThat(notes(i)).containsExactly(
        "skipped crm_config cluster property 'batch-limit': Pacemaker daemon tuning with no Vigil equivalent",
        "skipped crm_config cluster property 'symetric-cluster': unknown cluster property (did you mean 'symmetric-cluster'?)",
        "skipped crm_config cluster property 'placement-strategy': value 'fastest' is not accepted "
            + "(expected one of default, utilization, minimal, balanced)");
  }

  @Test
  void bootstrapOptionsWinTiesAndHigherScoredSetsWinOverall() {
    CibImport i = configuration("""
        <crm_config>
          <cluster_property_set id="other"><nvpair id="o1" name="no-quorum-policy" value="freeze"/></cluster_property_set>
          <cluster_property_set id="cib-bootstrap-options"><nvpair id="b1" name="no-quorum-policy" value="stop"/>
            <nvpair id="b2" name="maintenance-mode" value="false"/></cluster_property_set>
          <cluster_property_set id="urgent" score="100"><nvpair id="x1" name="maintenance-mode" value="true"/></cluster_property_set>
        </crm_config>""");
    assertThat(i.config().properties().values())
        .containsExactlyInAnyOrderEntriesOf(Map.of("no-quorum-policy", "stop", "maintenance-mode", "true"));
    assertThat(i.config().name()).isEqualTo("cib");
  }

  @Test
  void defaultsConvertAndRulesInDefaultsAreNoted() {
    CibImport i = configuration("""
        <rsc_defaults>
          <meta_attributes id="rsc-options">
            <nvpair id="d1" name="resource-stickiness" value="100"/>
            <nvpair id="d2" name="migration-threshold" value="3"/>
            <nvpair id="d3" name="foo" value="bar"/>
          </meta_attributes>
          <meta_attributes id="night" score="10">
            <rule id="night-rule" score="0"><date_expression id="n" operation="date_spec"><date_spec id="ds" hours="0-6"/></date_expression></rule>
            <nvpair id="d4" name="is-managed" value="false"/>
          </meta_attributes>
        </rsc_defaults>
        <op_defaults>
          <meta_attributes id="op-options">
            <nvpair id="o1" name="timeout" value="120s"/>
            <nvpair id="o2" name="record-pending" value="true"/>
          </meta_attributes>
        </op_defaults>""");
    assertThat(i.config().resourceDefaults())
        .isEqualTo(new Meta(Map.of("resource-stickiness", "100", "migration-threshold", "3")));
    assertThat(i.config().operationDefaults())
        .isEqualTo(new OpDefaults(Map.of("timeout", "2m", "record-pending", "true")));
    assertThat(notes(i)).containsExactly(
        "skipped rsc_defaults/meta_attributes 'night': attribute sets with rules (conditional values) are not supported",
        "skipped rsc_defaults resource meta attribute 'foo': unknown resource meta attribute");
  }

  @Test
  void legacyDefaultPropertiesBecomeDefaults() {
    CibImport i = configuration("""
        <crm_config><cluster_property_set id="cib-bootstrap-options">
          <nvpair id="p1" name="is-managed-default" value="false"/>
          <nvpair id="p2" name="default-action-timeout" value="60s"/>
        </cluster_property_set></crm_config>""");
    assertThat(i.config().resourceDefaults().get(Meta.IS_MANAGED)).contains(false);
    assertThat(i.config().operationDefaults().get(OpDefaults.TIMEOUT)).contains(java.time.Duration.ofSeconds(60));
    assertThat(notes(i)).containsExactly(
        "adjusted crm_config property 'is-managed-default': legacy cluster property written as the default 'is-managed'",
        "adjusted crm_config property 'default-action-timeout': legacy cluster property written as the default 'timeout'");
  }

  @Test
  void nvpairIdRefTakesTheReferencedValue() {
    CibImport i = configuration("""
        <crm_config><cluster_property_set id="cib-bootstrap-options">
          <nvpair id="shared-nqp" name="no-quorum-policy" value="freeze"/>
        </cluster_property_set></crm_config>
        <rsc_defaults><meta_attributes id="m"><nvpair id-ref="missing"/></meta_attributes></rsc_defaults>
        <op_defaults><meta_attributes id="o"><nvpair id-ref="t"/></meta_attributes></op_defaults>
        <resources><primitive id="r" class="ocf" provider="heartbeat" type="Dummy">
          <instance_attributes id="ia"><nvpair id="t" name="timeout" value="30s"/></instance_attributes>
        </primitive></resources>""");
    assertThat(i.config().operationDefaults().values()).containsEntry("timeout", "30s");
    assertThat(notes(i)).containsExactly(
        "skipped rsc_defaults/meta_attributes 'm'/nvpair 'missing': id-ref 'missing' names no element in the configuration");
  }
}
