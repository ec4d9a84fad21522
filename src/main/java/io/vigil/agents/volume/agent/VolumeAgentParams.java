package io.vigil.agents.volume.agent;

import io.vigil.agents.volume.Sizes;
import io.vigil.agents.volume.replication.Protocol;
import io.vigil.agents.volume.sync.SplitBrainPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Instance parameters of {@code builtin:volume}, all in one place (name, required, default, doc),
 * and the {@code vigil volume serve} arguments they become. Parsing is pure; bad values are refused
 * with the parameter's name and what was expected.
 */
public record VolumeAgentParams(Map<String, String> values, Path stateDir) {

  /** One parameter: name, whether required, default (null = none) and documentation. */
  public record Key(String name, boolean required, String defaultValue, String doc) {}

  public static final List<Key> KEYS = List.of(
      new Key("name", true, null, "Volume name (letters, digits, '.', '_', '-')."),
      new Key("node", false, null, "This node's name in the volume (default: the cluster's name of this node, else the listen address)."),
      new Key("backing", true, null, "Backing file or block device on this node (a relative path is under the agent's state directory)."),
      new Key("size", true, null, "Volume size, e.g. 20G (the same on every node)."),
      new Key("listen", false, null, "Peer link address of this node, HOST:PORT (or use addresses)."),
      new Key("peer", false, null, "Peer link address of the other node, HOST:PORT (or use addresses)."),
      new Key("addresses", false, null, "Both nodes' peer link addresses, NODE=HOST:PORT,NODE=HOST:PORT, instead of listen and peer: "
          + "one parameter set for the whole cluster, each node picks its own by name."),
      new Key("nodes", false, null, "With listen and peer in a cluster: the cluster names of the two nodes that hold copies, A,B "
          + "(each node's peer is the other one), so that a Primary that loses its peer records that node Outdated in the cluster "
          + "(addresses names the nodes already)."),
      new Key("key-file", false, null, "Per-volume shared key file (mode 0600); or tls-cert, tls-key and tls-ca."),
      new Key("tls-cert", false, null, "Certificate for mutual TLS on the peer link."),
      new Key("tls-key", false, null, "PKCS#8 private key of tls-cert."),
      new Key("tls-ca", false, null, "CA certificate(s) the peer's certificate must chain to."),
      new Key("protocol", false, "C", "Replication protocol A, B or C."),
      new Key("region-size", false, "256K", "Dirty-bitmap region size."),
      new Key("split-brain", false, "disconnect", "disconnect, discard-zero-changes, discard-younger-primary or discard-least-changes."),
      new Key("resync-rate", false, "500M", "Resync rate limit in bytes per second."),
      new Key("init", false, null, "First start only, for an existing backing file: existing (keep its data) or sync-target."),
      new Key("nbd-socket", false, null, "Unix socket of the NBD export (default <state dir>/NAME.nbd)."),
      new Key("nbd-listen", false, null, "TCP address of the NBD export (use 127.0.0.1:PORT)."));

  public VolumeAgentParams {
    values = Map.copyOf(values);
  }

  /** Validates {@code raw} (unknown names, missing required ones, malformed values) and fills defaults. */
  public static VolumeAgentParams parse(Map<String, String> raw, Path stateDir) {
    return parse(raw, stateDir, null);
  }

  /** As {@link #parse(Map, Path)} on the node the cluster calls {@code nodeName} (null if unknown). */
  public static VolumeAgentParams parse(Map<String, String> raw, Path stateDir, String nodeName) {
    Map<String, String> v = new java.util.TreeMap<>();
    for (var e : raw.entrySet()) {
      if (KEYS.stream().noneMatch(k -> k.name().equals(e.getKey()))) {
        throw new IllegalArgumentException("builtin:volume: unknown parameter '" + e.getKey() + "'; known: "
            + KEYS.stream().map(Key::name).toList());
      }
      v.put(e.getKey(), e.getValue());
    }
    for (Key k : KEYS) {
      if (k.required() && (v.get(k.name()) == null || v.get(k.name()).isBlank())) {
        throw new IllegalArgumentException("builtin:volume: parameter '" + k.name() + "' is required (" + k.doc() + ")");
      }
      if (k.defaultValue() != null) v.putIfAbsent(k.name(), k.defaultValue());
    }
    String name = v.get("name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException("builtin:volume: name '" + name + "' must be 1..63 letters, digits, '.', '_' or '-'");
    }
    check("size", () -> Sizes.parse(v.get("size")));
    check("region-size", () -> Sizes.parse(v.get("region-size")));
    check("resync-rate", () -> Sizes.parse(v.get("resync-rate")));
    check("protocol", () -> Protocol.parse(v.get("protocol")));
    check("split-brain", () -> SplitBrainPolicy.parse(v.get("split-brain")));
    List<String> volumeNodes = v.containsKey("nodes") ? nodeList(v.remove("nodes")) : null;
    if (v.containsKey("addresses")) {
      pickAddresses(v, nodeName, volumeNodes);
    } else {
      if (nodeName != null) v.putIfAbsent("node", nodeName);
      if (volumeNodes != null) pickPeerNode(v, volumeNodes);
    }
    for (String a : List.of("listen", "peer")) {
      if (v.get(a) == null) throw new IllegalArgumentException("builtin:volume: parameter '" + a + "' (or addresses) is required");
      if (!v.get(a).matches(".+:\\d{1,5}")) throw new IllegalArgumentException("builtin:volume: " + a + " '" + v.get(a) + "' must be HOST:PORT");
    }
    boolean tls = v.containsKey("tls-cert") || v.containsKey("tls-key") || v.containsKey("tls-ca");
    if (tls && !(v.containsKey("tls-cert") && v.containsKey("tls-key") && v.containsKey("tls-ca"))) {
      throw new IllegalArgumentException("builtin:volume: mutual TLS needs all of tls-cert, tls-key and tls-ca");
    }
    if (!tls && !v.containsKey("key-file")) {
      throw new IllegalArgumentException("builtin:volume: the peer link needs key-file or tls-cert/tls-key/tls-ca (plaintext is never used)");
    }
    if (v.containsKey("init") && !List.of("existing", "sync-target", "zeroed").contains(v.get("init"))) {
      throw new IllegalArgumentException("builtin:volume: init '" + v.get("init") + "' must be zeroed, existing or sync-target");
    }
    if (!Path.of(v.get("backing")).isAbsolute()) v.put("backing", stateDir.resolve(v.get("backing")).toString());
    return new VolumeAgentParams(v, stateDir);
  }

  /** This cluster node is not one of the two nodes in {@code addresses}. */
  public static final class NotAVolumeNode extends IllegalArgumentException {
    NotAVolumeNode(String message) {
      super(message);
    }
  }

  /** The two distinct names of {@code nodes} ("a,b"). */
  private static List<String> nodeList(String raw) {
    List<String> names = java.util.Arrays.stream(raw.split(",")).map(String::strip).toList();
    if (names.size() != 2 || names.get(0).isEmpty() || names.get(1).isEmpty() || names.get(0).equals(names.get(1))) {
      throw new IllegalArgumentException("builtin:volume: nodes '" + raw + "' must name the two cluster nodes that hold copies, A,B");
    }
    return names;
  }

  /** With listen/peer: this node must be one of {@code nodes}; the other is the peer the fencing records. */
  private static void pickPeerNode(Map<String, String> v, List<String> nodes) {
    String node = v.get("node");
    if (node == null) {
      throw new IllegalArgumentException("builtin:volume: nodes " + nodes + " needs this node's name (parameter node, or run under the cluster)");
    }
    if (!nodes.contains(node)) throw new NotAVolumeNode("builtin:volume: this node ('" + node + "') is not one of the nodes " + nodes);
    v.put(PEER_NODE, nodes.get(0).equals(node) ? nodes.get(1) : nodes.get(0));
  }

  /** Sets node, listen and peer from {@code addresses} ("a=HOST:PORT,b=HOST:PORT") for this node. */
  private static void pickAddresses(Map<String, String> v, String nodeName, List<String> nodes) {
    if (v.containsKey("listen") || v.containsKey("peer")) {
      throw new IllegalArgumentException("builtin:volume: give either addresses or listen and peer, not both");
    }
    Map<String, String> byNode = new java.util.LinkedHashMap<>();
    for (String part : v.remove("addresses").split(",")) {
      String[] kv = part.strip().split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException("builtin:volume: addresses entry '" + part.strip() + "' must be NODE=HOST:PORT");
      }
      byNode.put(kv[0].strip(), kv[1].strip());
    }
    if (byNode.size() != 2) throw new IllegalArgumentException("builtin:volume: addresses must name exactly two nodes, got " + byNode.keySet());
    if (nodes != null && !new java.util.HashSet<>(nodes).equals(byNode.keySet())) {
      throw new IllegalArgumentException("builtin:volume: nodes " + nodes + " differ from the nodes of addresses " + byNode.keySet()
          + " (addresses names them already; drop nodes)");
    }
    String node = v.getOrDefault("node", nodeName);
    if (node == null || !byNode.containsKey(node)) {
      throw new NotAVolumeNode("builtin:volume: this node ('" + node + "') is not one of the addresses " + byNode.keySet());
    }
    v.put("node", node);
    for (var e : byNode.entrySet()) {
      v.put(e.getKey().equals(node) ? "listen" : "peer", e.getValue());
      if (!e.getKey().equals(node)) v.put(PEER_NODE, e.getKey());
    }
  }

  private static void check(String key, Runnable parse) {
    try {
      parse.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("builtin:volume: parameter '" + key + "': " + e.getMessage());
    }
  }

  /** Not a parameter: the peer's cluster node name, known when {@code addresses} names both nodes. */
  static final String PEER_NODE = "#peer-node";

  public String name() { return values.get("name"); }

  /** The peer's cluster node name (from {@code addresses} or {@code nodes}), or null with listen/peer alone. */
  public String peerNode() { return values.get(PEER_NODE); }

  /** The control socket of this volume's process (in the agent's state directory). */
  public Path control() { return stateDir.resolve("volume-" + name() + ".sock"); }

  public Path pidFile() { return stateDir.resolve("volume-" + name() + ".pid"); }

  public Path logFile() { return stateDir.resolve("volume-" + name() + ".log"); }

  public Path nbdSocket() {
    return values.containsKey("nbd-socket") ? Path.of(values.get("nbd-socket")) : stateDir.resolve(name() + ".nbd");
  }

  /** Arguments of the serve process ({@code vigil volume serve}) for these parameters (never through a shell). */
  public List<String> serveArgs() {
    List<String> a = new ArrayList<>(List.of("--control", control().toString(), "--nbd-socket", nbdSocket().toString()));
    for (Key k : KEYS) {
      String val = values.get(k.name());
      if (val == null || k.name().equals("nbd-socket") || k.name().equals("addresses") || k.name().equals("nodes")) continue;
      a.add("--" + k.name());
      a.add(val);
    }
    return a;
  }

  /** True if the key file (when used) exists; a missing one is a configuration error caught before starting. */
  String missingFile() {
    for (String f : List.of("key-file", "tls-cert", "tls-key", "tls-ca")) {
      String p = values.get(f);
      if (p != null && !Files.isReadable(Path.of(p))) return f + " " + p + " is missing or unreadable";
    }
    return null;
  }
}
