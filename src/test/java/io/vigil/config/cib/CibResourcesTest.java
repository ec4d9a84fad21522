package io.vigil.config.cib;

import static io.vigil.config.cib.Cibs.notes;
import static io.vigil.config.cib.Cibs.resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.vigil.model.AgentRef;
import io.vigil.model.Clone;
import io.vigil.model.Group;
import io.vigil.model.Meta;
import io.vigil.model.OnFail;
import io.vigil.model.Operation;
import io.vigil.model.Primitive;
import io.vigil.model.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CibResourcesTest {

  @Test
  void primitiveCarriesAgentParamsMetaOperationsAndUtilization() {
    CibImport i = resources("""
        <primitive id="db" class="ocf" provider="heartbeat" type="pgsql" description="the database">
          <instance_attributes id="db-ia"><nvpair id="db-ia-1" name="pgdata" value="/var/lib/pg"/></instance_attributes>
          <meta_attributes id="db-meta">
            <nvpair id="m1" name="target-role" value="Stopped"/>
            <nvpair id="m2" name="stickiness" value="INFINITY"/>
            <nvpair id="m3" name="failure-timeout" value="60"/>
          </meta_attributes>
          <utilization id="db-u"><nvpair id="u1" name="memory" value="512"/></utilization>
          <operations>
            <op id="db-start" name="start" interval="0" timeout="120s"/>
            <op id="db-mon" name="monitor" interval="10s" timeout="20s" role="Master" on-fail="restart" start-delay="5s">
              <instance_attributes id="db-mon-ia"><nvpair id="c" name="OCF_CHECK_LEVEL" value="10"/></instance_attributes>
            </op>
            <op id="db-mon2" name="monitor" interval="1min" enabled="false" interval-origin="02:00">
              <meta_attributes id="db-mon2-meta"><nvpair id="t" name="timeout" value="40s"/></meta_attributes>
            </op>
          </operations>
        </primitive>""");
    Primitive expected = new Primitive("db", AgentRef.parse("ocf:heartbeat:pgsql"), Map.of("pgdata", "/var/lib/pg"), Map.of(),
        new Meta(Map.of("target-role", "Stopped", "resource-stickiness", "INFINITY", "failure-timeout", "60s")),
        List.of(
            Operation.of("start", Duration.ZERO, Duration.ofSeconds(120)),
            new Operation("monitor", Duration.ofSeconds(10), Optional.of(Duration.ofSeconds(20)), Optional.of(Role.PROMOTED),
                Optional.of(OnFail.RESTART), Optional.of(Duration.ofSeconds(5)), true, Map.of("OCF_CHECK_LEVEL", "10")),
            new Operation("monitor", Duration.ofMinutes(1), Optional.of(Duration.ofSeconds(40)), Optional.empty(),
                Optional.empty(), Optional.empty(), false, Map.of("interval-origin", "02:00"))),
        Map.of("memory", 512));
    assertThat(i.config().resources()).containsExactly(expected);
    assertThat(i.notes()).isEmpty();
  }

  @Test
  void templatesAreExpandedWithThePrimitiveWinning() {
    CibImport i = resources("""
        <template id="vm-template" class="ocf" provider="heartbeat" type="VirtualDomain">
          <instance_attributes id="t-ia">
            <nvpair id="t1" name="hypervisor" value="qemu:///system"/>
            <nvpair id="t2" name="config" value="/etc/default.xml"/>
          </instance_attributes>
          <meta_attributes id="t-meta"><nvpair id="t3" name="allow-migrate" value="true"/></meta_attributes>
          <operations>
            <op id="t-mon" name="monitor" interval="30s" timeout="30s"/>
            <op id="t-start" name="start" interval="0" timeout="90s"/>
          </operations>
        </template>
        <primitive id="vm1" template="vm-template">
          <instance_attributes id="vm1-ia"><nvpair id="v1" name="config" value="/etc/vm1.xml"/></instance_attributes>
          <operations><op id="vm1-mon" name="monitor" interval="30s" timeout="60s"/></operations>
        </primitive>
        <primitive id="vm2" template="nope"/>""");
    Primitive vm1 = (Primitive) i.config().resources().get(0);
    assertThat(vm1.agent()).isEqualTo(AgentRef.parse("ocf:heartbeat:VirtualDomain"));
    assertThat(vm1.params()).containsExactly(entry("hypervisor", "qemu:///system"), entry("config", "/etc/vm1.xml"));
    assertThat(vm1.meta()).isEqualTo(new Meta(Map.of("allow-migrate", "true")));
    assertThat(vm1.operations()).containsExactly(
        Operation.of("start", Duration.ZERO, Duration.ofSeconds(90)),
        Operation.of("monitor", Duration.ofSeconds(30), Duration.ofSeconds(60)));
    assertThat(i.config().resources()).hasSize(1);
    assertThat(notes(i)).containsExactly("skipped resources/primitive 'vm2': template 'nope' is not defined");
  }

  @Test
  void groupsAndClonesKeepTheirMetaAndPassInstanceAttributesDown() {
    CibImport i = resources("""
        <clone id="web-clone">
          <meta_attributes id="cm"><nvpair id="c1" name="clone-max" value="2"/><nvpair id="c2" name="interleave" value="true"/></meta_attributes>
          <instance_attributes id="ci"><nvpair id="c3" name="shared" value="yes"/></instance_attributes>
          <group id="web">
            <meta_attributes id="gm"><nvpair id="g1" name="ordered" value="true"/><nvpair id="g2" name="target-role" value="Started"/></meta_attributes>
            <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2"/>
            <primitive id="www" class="systemd" type="nginx">
              <instance_attributes id="wi"><nvpair id="w1" name="shared" value="no"/></instance_attributes>
            </primitive>
          </group>
        </clone>""");
    Primitive ip = new Primitive("ip", AgentRef.parse("ocf:heartbeat:IPaddr2"), Map.of("shared", "yes"), Map.of(), Meta.EMPTY,
        List.of(), Map.of());
    Primitive www = new Primitive("www", AgentRef.parse("systemd:nginx"), Map.of("shared", "no"), Map.of(), Meta.EMPTY,
        List.of(), Map.of());
    Group web = new Group("web", List.of(ip, www), new Meta(Map.of("target-role", "Started")));
    assertThat(i.config().resources()).containsExactly(
        new Clone("web-clone", web, new Meta(Map.of("clone-max", "2", "interleave", "true"))));
    assertThat(i.notes()).isEmpty();
  }

  @Test
  void promotableClonesFromMetaAndFromLegacyMaster() {
    CibImport i = resources("""
        <clone id="ms1"><meta_attributes id="m1"><nvpair id="p" name="promotable" value="true"/>
          <nvpair id="pm" name="promoted-max" value="1"/></meta_attributes>
          <primitive id="s1" class="ocf" provider="pacemaker" type="Stateful"/></clone>
        <master id="ms2"><meta_attributes id="m2"><nvpair id="mm" name="master-max" value="2"/>
          <nvpair id="mn" name="master-node-max" value="1"/></meta_attributes>
          <primitive id="s2" class="ocf" provider="pacemaker" type="Stateful"/></master>""");
    Clone ms1 = (Clone) i.config().resources().get(0);
    Clone ms2 = (Clone) i.config().resources().get(1);
    assertThat(ms1.promotable()).isTrue();
    assertThat(ms1.meta().get(Meta.PROMOTED_MAX)).contains(1);
    assertThat(ms2.promotable()).isTrue();
    assertThat(ms2.meta()).isEqualTo(new Meta(Map.of("promoted-max", "2", "promoted-node-max", "1", "promotable", "true")));
    assertThat(i.notes()).isEmpty();
  }

  @Test
  void badMetaValuesAreDroppedWithTheValueAndWhatWasExpected() {
    CibImport i = resources("""
        <primitive id="r" class="lsb" type="postfix">
          <meta_attributes id="m">
            <nvpair id="m1" name="migration-threshold" value="often"/>
            <nvpair id="m2" name="is-managed" value="maybe"/>
            <nvpair id="m3" name="priority" value="5"/>
            <nvpair id="m4" name="remote-node" value="guest1"/>
            <nvpair id="m5" name="interleave" value="true"/>
            <nvpair id="m6" name="target-role" value="#default"/>
          </meta_attributes>
        </primitive>""");
    assertThat(i.config().resources().get(0).meta()).isEqualTo(new Meta(Map.of("priority", "5")));
    assertThat(notes(i)).containsExactly(
        "skipped resources/primitive 'r' meta 'interleave': a clone option on a resource that is not a clone; Pacemaker ignores it",
        "skipped resources/primitive 'r' resource meta attribute 'migration-threshold': value 'often' is not accepted "
            + "(expected an integer, INFINITY or -INFINITY)",
        "skipped resources/primitive 'r' resource meta attribute 'is-managed': value 'maybe' is not accepted (expected true or false)",
        "skipped resources/primitive 'r' resource meta attribute 'remote-node': guest nodes (remote-node) are not supported");
  }

  @Test
  void unsupportedResourcesAreNotedAndConstraintsOnThemSkipped() {
    CibImport i = Cibs.configuration("""
        <resources>
          <bundle id="b"><docker image="x"/></bundle>
          <primitive id="n" class="nagios" type="check_http"/>
          <primitive id="ok" class="stonith" type="fence_ipmilan"/>
          <group id="g"><primitive id="n2" class="heartbeat" type="x"/></group>
        </resources>
        <constraints><rsc_colocation id="c" rsc="ok" with-rsc="b" score="INFINITY"/></constraints>""");
    assertThat(i.config().resources()).extracting(r -> r.id()).containsExactly("ok");
    assertThat(notes(i)).containsExactly(
        "skipped resources/bundle 'b': bundles (container-based resources) are not supported",
        "skipped resources/primitive 'n': agent class 'nagios' is not supported (expected ocf, lsb, systemd, service or stonith)",
        "skipped resources/group 'g'/primitive 'n2': agent class 'heartbeat' is not supported (expected ocf, lsb, systemd, service or stonith)",
        "skipped resources/group 'g': group has no importable members",
        "skipped constraints/rsc_colocation 'c': names resource 'b', which was not imported");
  }

  @Test
  void operationsByIdRefSecretsAndLenientIntervals() {
    CibImport i = resources("""
        <primitive id="a" class="ocf" provider="heartbeat" type="Dummy">
          <operations id="common-ops"><op id="a-mon" name="monitor" interval="P10S"/></operations>
          <instance_attributes id="a-ia"><nvpair id="pw" name="password" value="lrm://"/></instance_attributes>
        </primitive>
        <primitive id="b" class="ocf" provider="heartbeat" type="Dummy">
          <operations id-ref="common-ops"/>
          <operations><op id="b-bad" name="monitor" interval="often"/><op id="b-stop" name="stop" interval="0" on-fail="explode"/></operations>
        </primitive>""");
    Primitive a = (Primitive) i.config().resources().get(0);
    Primitive b = (Primitive) i.config().resources().get(1);
    assertThat(a.operations()).containsExactly(Operation.of("monitor", Duration.ofSeconds(10), null));
    assertThat(a.params()).isEmpty();
    assertThat(b.operations()).containsExactly(Operation.of("monitor", Duration.ofSeconds(10), null),
        Operation.of("stop", Duration.ZERO, null));
    assertThat(notes(i)).containsExactly(
        "skipped resources/primitive 'a' parameter 'password': stored outside the CIB by cibsecret; "
            + "give it as a secret parameter read from a file",
        "skipped resources/primitive 'b' op 'monitor': interval: 'often' is not a duration "
            + "(expected e.g. 500ms, 1.5s, 20s, 5m, 1h30m, PT20S, or seconds as an integer)",
        "skipped resources/primitive 'b' op 'stop' interval 0s on-fail: value 'explode' is not accepted "
            + "(expected ignore, block, stop, restart, standby, fence, demote or restart-container)");
  }

  @Test
  void targetRolePromotedOutsideAPromotableCloneBecomesStarted() {
    CibImport i = resources("""
        <primitive id="r" class="ocf" provider="heartbeat" type="Dummy">
          <meta_attributes id="m"><nvpair id="m1" name="target-role" value="Master"/></meta_attributes>
        </primitive>""");
    assertThat(i.config().resources().get(0).meta().get(Meta.TARGET_ROLE)).contains(Role.STARTED);
    assertThat(notes(i)).containsExactly("adjusted resources/primitive 'r' meta 'target-role': target-role Promoted on a "
        + "resource that cannot be promoted is written as Started (Pacemaker starts it)");
  }
}
