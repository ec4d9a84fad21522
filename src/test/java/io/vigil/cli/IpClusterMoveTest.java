package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterConfig;
import org.junit.jupiter.api.Test;

/** Address to resource lookup and node checks of {@code vigil ip move ADDRESS NODE}, over plain configurations. */
class IpClusterMoveTest {
  static final ClusterConfig CONFIG = load("""
      cluster: demo
      nodes: [{name: alpha}, {name: beta}]
      resources:
        - group: web
          members:
            - primitive: web-ip
              agent: builtin:ip
              params: {address: 192.0.2.10/24, interface: eth0}
            - primitive: web-lb
              agent: builtin:balancer
              params: {config: /etc/vigil/web.yaml}
        - primitive: mail-ip
          agent: ocf:heartbeat:IPaddr2
          params: {ip: 192.0.2.25, cidr_netmask: "24"}
        - primitive: v6-ip
          agent: builtin:ip
          params: {address: "2001:db8:0:0::10/64", interface: eth0}
        - clone: everywhere
          resource:
            primitive: local-ip
            agent: builtin:ip
            params: {address: 192.0.2.99/32, interface: lo}
      """);

  static ClusterConfig load(String yaml) {
    var r = new ConfigLoader(AgentCatalog.NONE).check(yaml, "test.yaml");
    return r.config().orElseThrow(() -> new AssertionError(r.errors().toString()));
  }

  @Test
  void anAddressInAGroupMovesTheGroup() throws Exception {
    assertThat(IpClusterMove.find(CONFIG, "192.0.2.10", 3)).isEqualTo(new IpClusterMove.Found("web-ip", "web"));
    assertThat(IpClusterMove.find(CONFIG, "192.0.2.10/24", 3)).isEqualTo(new IpClusterMove.Found("web-ip", "web"));
  }

  @Test
  void aPrimitiveOnItsOwnMovesItselfAndIPaddr2CountsToo() throws Exception {
    assertThat(IpClusterMove.find(CONFIG, "192.0.2.25", 3)).isEqualTo(new IpClusterMove.Found("mail-ip", "mail-ip"));
  }

  @Test
  void ipv6AddressesMatchWhateverTheirSpelling() throws Exception {
    assertThat(IpClusterMove.find(CONFIG, "2001:db8::10", 3).primitive()).isEqualTo("v6-ip");
  }

  @Test
  void unknownAddressIsRefusedWithTheConfiguredOnes() {
    assertThatThrownBy(() -> IpClusterMove.find(CONFIG, "192.0.2.11", 7))
        .hasMessageStartingWith("no builtin:ip (or IPaddr2) resource in the cluster's configuration (epoch 7) has address 192.0.2.11")
        .hasMessageContaining("192.0.2.10 (web-ip)").hasMessageContaining("192.0.2.25 (mail-ip)");
    assertThatThrownBy(() -> IpClusterMove.find(load("cluster: demo\nnodes: [{name: a}]\n"), "192.0.2.11", 1))
        .hasMessageEndingWith("it configures no floating address");
  }

  @Test
  void notAnAddressIsRefused() {
    assertThatThrownBy(() -> IpClusterMove.find(CONFIG, "web", 1)).hasMessageContaining("is not an IP address literal");
  }

  @Test
  void aClonedAddressCannotMoveToOneNode() {
    assertThatThrownBy(() -> IpClusterMove.find(CONFIG, "192.0.2.99", 1))
        .hasMessageContaining("is resource local-ip in clone everywhere");
  }

  @Test
  void nodesMustBeKnownAndOnline() throws Exception {
    JsonNode status = new ObjectMapper().readTree("""
        {"members": [{"name": "alpha", "state": "ONLINE"}, {"name": "beta", "state": "LOST"}],
         "resources": [{"instance": "web-ip", "runningOn": {"alpha": "Started"}}]}
        """);
    IpClusterMove.checkNode(CONFIG, status, "alpha");
    assertThatThrownBy(() -> IpClusterMove.checkNode(CONFIG, status, "alpah")).hasMessageStartingWith("unknown node 'alpah'")
        .hasMessageContaining("did you mean 'alpha'");
    assertThatThrownBy(() -> IpClusterMove.checkNode(CONFIG, status, "beta")).hasMessage(
        "node beta is lost, expected online (an address can only move to an online node)");
    assertThat(IpClusterMove.runningOn(status, "web-ip")).containsExactly(java.util.Map.entry("alpha", "Started"));
    assertThat(IpClusterMove.runningOn(status, "mail-ip")).isEmpty();
  }
}
