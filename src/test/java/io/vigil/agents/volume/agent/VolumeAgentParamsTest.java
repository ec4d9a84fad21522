package io.vigil.agents.volume.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VolumeAgentParamsTest {
  private static final Path STATE = Path.of("/var/lib/vigil/a/volume");

  private static Map<String, String> valid() {
    return new HashMap<>(Map.of("name", "mail", "backing", "/srv/mail.img", "size", "20G", "listen", "10.0.0.1:7789",
        "peer", "10.0.0.2:7789", "key-file", "/etc/vigil/mail.key"));
  }

  @Test
  void serveArgumentsCarryEveryParameterWithDefaultsAndStateDirPaths() {
    var p = VolumeAgentParams.parse(valid(), STATE);
    assertThat(p.serveArgs()).containsSubsequence("--control", "/var/lib/vigil/a/volume/volume-mail.sock",
        "--nbd-socket", "/var/lib/vigil/a/volume/mail.nbd");
    assertThat(String.join(" ", p.serveArgs())).contains("--name mail", "--backing /srv/mail.img", "--size 20G",
        "--listen 10.0.0.1:7789", "--peer 10.0.0.2:7789", "--key-file /etc/vigil/mail.key", "--protocol C", "--split-brain disconnect");
    assertThat(p.serveArgs()).doesNotContain("--primary");
  }

  @Test
  void missingRequiredParameterIsNamed() {
    var raw = valid();
    raw.remove("backing");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE)).hasMessageContaining("'backing' is required");
  }

  @Test
  void unknownParameterIsRefused() {
    var raw = valid();
    raw.put("sise", "1G");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE)).hasMessageContaining("unknown parameter 'sise'");
  }

  @Test
  void plaintextLinkIsNeverConfigurable() {
    var raw = valid();
    raw.remove("key-file");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE)).hasMessageContaining("needs key-file or tls-cert");
  }

  @Test
  void malformedValuesAreRefusedWithTheirParameter() {
    var raw = valid();
    raw.put("size", "lots");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE)).hasMessageContaining("parameter 'size'");
    var raw2 = valid();
    raw2.put("peer", "10.0.0.2");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw2, STATE)).hasMessageContaining("peer '10.0.0.2' must be HOST:PORT");
  }

  @Test
  void addressesGiveEachClusterNodeItsOwnListenAndPeerAndARelativeBackingLivesInTheStateDir() {
    var raw = valid();
    raw.remove("listen");
    raw.remove("peer");
    raw.put("addresses", "a=10.0.0.1:7789, b=10.0.0.2:7790");
    raw.put("backing", "mail.img");
    String onB = String.join(" ", VolumeAgentParams.parse(raw, STATE, "b").serveArgs());
    assertThat(onB).contains("--node b", "--listen 10.0.0.2:7790", "--peer 10.0.0.1:7789", "--backing /var/lib/vigil/a/volume/mail.img")
        .doesNotContain("--addresses");
    String onA = String.join(" ", VolumeAgentParams.parse(raw, STATE, "a").serveArgs());
    assertThat(onA).contains("--node a", "--listen 10.0.0.1:7789", "--peer 10.0.0.2:7790");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE, "c")).hasMessageContaining("this node ('c') is not one of the addresses");
    raw.put("listen", "10.0.0.1:7789");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE, "a")).hasMessageContaining("either addresses or listen and peer");
  }

  @Test
  void withoutAddressesListenAndPeerAreRequired() {
    var raw = valid();
    raw.remove("peer");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE)).hasMessageContaining("'peer' (or addresses) is required");
  }

  @Test
  void withListenAndPeerNodesNamesThePeersClusterNodeForFencing() {
    var raw = valid();
    raw.put("nodes", "a, b");
    var onA = VolumeAgentParams.parse(raw, STATE, "a");
    assertThat(onA.peerNode()).isEqualTo("b");
    assertThat(VolumeAgentParams.parse(raw, STATE, "b").peerNode()).isEqualTo("a");
    assertThat(String.join(" ", onA.serveArgs())).contains("--node a").doesNotContain("--nodes", "#peer");
    assertThat(VolumeAgentParams.parse(valid(), STATE, "a").peerNode()).as("listen/peer alone: no peer node").isNull();
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE, "c")).isInstanceOf(VolumeAgentParams.NotAVolumeNode.class)
        .hasMessageContaining("this node ('c') is not one of the nodes [a, b]");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE, null)).hasMessageContaining("needs this node's name");
    raw.put("nodes", "a");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE, "a")).hasMessageContaining("nodes 'a' must name the two cluster nodes");
    raw.put("nodes", "a,a");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE, "a")).hasMessageContaining("must name the two cluster nodes");
  }

  @Test
  void nodesBesideAddressesMustNameTheSameNodes() {
    var raw = valid();
    raw.remove("listen");
    raw.remove("peer");
    raw.put("addresses", "a=10.0.0.1:7789,b=10.0.0.2:7790");
    raw.put("nodes", "b,a");
    assertThat(VolumeAgentParams.parse(raw, STATE, "a").peerNode()).isEqualTo("b");
    raw.put("nodes", "a,c");
    assertThatThrownBy(() -> VolumeAgentParams.parse(raw, STATE, "a")).hasMessageContaining("differ from the nodes of addresses");
  }

  @Test
  void applyRefusesListenAndPeerWithoutNodesAndNodesOutsideTheCluster() {
    java.util.Set<String> cluster = java.util.Set.of("a", "b", "c");
    assertThat(VolumeConfigCheck.check(valid(), cluster)).contains("with listen/peer needs nodes", "or give addresses");
    var raw = valid();
    raw.put("nodes", "a,b");
    assertThat(VolumeConfigCheck.check(raw, cluster)).isNull();
    raw.put("nodes", "a,x");
    assertThat(VolumeConfigCheck.check(raw, cluster)).contains("names node 'x' (in nodes), which is not a node of this cluster [a, b, c]");
    raw.put("nodes", "a,b");
    raw.put("protocol", "D");
    assertThat(VolumeConfigCheck.check(raw, cluster)).as("malformed values are refused at apply too").contains("parameter 'protocol'");
    var addr = valid();
    addr.remove("listen");
    addr.remove("peer");
    addr.put("addresses", "a=10.0.0.1:7789,z=10.0.0.2:7790");
    assertThat(VolumeConfigCheck.check(addr, cluster)).contains("names node 'z' (in addresses)");
  }
}
