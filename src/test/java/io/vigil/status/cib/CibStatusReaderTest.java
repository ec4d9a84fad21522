package io.vigil.status.cib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.status.ClusterStatus;
import io.vigil.status.FailCounts;
import io.vigil.status.NodeState;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CibStatusReaderTest {
  static final String CIB = """
      <cib have-quorum="1" dc-uuid="1" execution-date="1600000000">
        <configuration><nodes>
          <node id="1" uname="alpha"/><node id="2" uname="beta"/><node id="3" uname="gamma"/>
        </nodes></configuration>
        <status>
          <node_state id="1" uname="alpha" in_ccm="true" crmd="online" join="member" expected="member">
            <transient_attributes id="t1"><instance_attributes id="i1">
              <nvpair id="a" name="master-db" value="10"/>
              <nvpair id="b" name="fail-count-web#monitor_10000" value="3"/>
              <nvpair id="c" name="last-failure-web#monitor_10000" value="1599999000"/>
            </instance_attributes></transient_attributes>
            <lrm id="1"><lrm_resources>
              <lrm_resource id="web" class="ocf" provider="heartbeat" type="apache">
                <lrm_rsc_op id="web_monitor_10000" operation="monitor" interval="10000" rc-code="1" op-status="4"
                    call-id="12" transition-key="3:4:0:abc" last-rc-change="1599999000"/>
                <lrm_rsc_op id="web_start_0" operation="start" interval="0" rc-code="0" op-status="0" call-id="11"
                    transition-key="2:4:0:abc"/>
                <lrm_rsc_op id="web_monitor_0" operation="monitor" interval="0" rc-code="7" op-status="0" call-id="3"
                    transition-key="1:1:7:abc"/>
                <lrm_rsc_op id="broken" operation="start" interval="0" rc-code="zero" call-id="13"/>
              </lrm_resource>
            </lrm_resources></lrm>
          </node_state>
          <node_state id="2" in_ccm="false" crmd="offline" join="member" expected="member"/>
        </status>
      </cib>
      """;

  @Test
  void readsMembershipHistoryAttributesQuorumAndDc() throws Exception {
    CibStatusReader.Result r = CibStatusReader.read(CIB, "cib.xml");
    ClusterStatus s = r.status();
    assertThat(s.quorum()).isTrue();
    assertThat(s.dc()).contains("alpha");
    assertThat(s.executionDate()).contains(Instant.ofEpochSecond(1600000000));
    NodeStatus alpha = s.node("alpha").orElseThrow();
    assertThat(alpha.state(true)).isEqualTo(NodeState.ONLINE);
    assertThat(alpha.attributes()).containsEntry("master-db", "10");
    assertThat(alpha.history("web").orElseThrow().ops()).extracting(OpRecord::callId).containsExactly(3, 11, 12);
    OpRecord probe = alpha.history("web").orElseThrow().ops().get(0);
    assertThat(probe.isProbe()).isTrue();
    assertThat(probe.expectedRc()).isEqualTo(7);
    assertThat(FailCounts.of(alpha, "web")).singleElement().satisfies(f -> {
      assertThat(f.count()).isEqualTo(3);
      assertThat(f.operationKey()).isEqualTo("monitor_10000");
      assertThat(f.lastFailure()).contains(Instant.ofEpochSecond(1599999000));
    });
  }

  @Test
  void nodeStateWithoutUnameTakesItFromConfiguredNodes() throws Exception {
    NodeStatus beta = CibStatusReader.read(CIB, "cib.xml").status().node("beta").orElseThrow();
    assertThat(beta.state(true)).as("lost while expected up").isEqualTo(NodeState.UNCLEAN);
    assertThat(beta.state(false)).as("without fencing a node that left membership is offline")
        .isEqualTo(NodeState.OFFLINE);
  }

  @Test
  void malformedOperationIsSkippedWithWarningNamingIt() throws Exception {
    CibStatusReader.Result r = CibStatusReader.read(CIB, "cib.xml");
    assertThat(r.warnings()).singleElement().asString()
        .contains("cib.xml", "node 'alpha'", "resource 'web'", "operation 'broken'", "rc-code", "expected an integer");
  }

  @Test
  void refusesDoctypeAndExternalEntities() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE cib [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<cib><status>&x;</status></cib>";
    assertThatThrownBy(() -> CibStatusReader.read(xxe, "evil.xml"))
        .isInstanceOf(CibStatusException.class).hasMessageContaining("evil.xml");
  }

  @Test
  void notXmlOrNotACibIsAClearError() {
    assertThatThrownBy(() -> CibStatusReader.read("<cib><status>", "cut.xml"))
        .isInstanceOf(CibStatusException.class).hasMessageStartingWith("cut.xml:1:");
    assertThatThrownBy(() -> CibStatusReader.read("<html/>", "page.xml"))
        .isInstanceOf(CibStatusException.class).hasMessage("page.xml: root element is <html>, expected <cib>");
  }

  @Test
  void expectedResultComesFromTheTransitionKey() {
    assertThat(CibStatusReader.expectedRc("5:68:7:c0a34b18")).isEqualTo(7);
    assertThat(CibStatusReader.expectedRc("garbage")).isEqualTo(-1);
    assertThat(CibStatusReader.expectedRc(null)).isEqualTo(-1);
  }
}
