package io.vigil.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where every part of a demo cluster lives: its directory, its nodes with their addresses and
 * (in network-namespace mode) namespaces, the client namespace, and the service address.
 *
 * @param serviceHost the address clients use: the floating IP in namespace mode, 127.0.0.1 otherwise
 */
public record DemoLayout(Path base, Mode mode, List<Node> nodes, String clientNamespace, String bridgeNamespace,
    String bridge, String serviceHost, int servicePort, String floatingCidr) {

  /** Namespaces with a private bridge and a real floating IP, or daemons on loopback ports. */
  public enum Mode { NETNS, LOOPBACK }

  /** The names the demo nodes get, in order. */
  public static final List<String> NAMES = List.of("alpha", "beta", "gamma", "delta", "epsilon");
  /** Default prefix of every namespace the demo creates (so --stop and tests find exactly their own). */
  public static final String NS_PREFIX = "vdemo";
  private static final java.util.regex.Pattern PREFIX = java.util.regex.Pattern.compile("[a-z][a-z0-9]{0,7}");
  static final String SUBNET = "10.77.0.";

  /**
   * One node.
   *
   * @param namespace its network namespace, or "" on loopback
   * @param raftAddress where its Raft server listens (enrollment is the next port)
   */
  public record Node(String name, int index, String namespace, String raftAddress, Path stateDir) {
    /** Where its agents keep pid and lock files (HA_VARRUN), apart from the other nodes'. */
    public Path runDir() {
      return stateDir.resolveSibling(name + "-run");
    }

    public Path log() {
      return stateDir.resolveSibling(name + ".log");
    }

    /** The host part of the Raft address. */
    public String host() {
      return raftAddress.substring(0, raftAddress.lastIndexOf(':'));
    }
  }

  /** {@code n} nodes, each in namespace vdemo-hK with 10.77.0.(10+K), a client at .250, the service on the floating .100. */
  public static DemoLayout netns(Path base, int n, String prefix) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("namespace prefix '" + prefix + "': expected 1-8 lower-case letters or digits, starting with a letter");
    }
    List<Node> nodes = new ArrayList<>();
    for (int k = 1; k <= checkCount(n); k++) {
      String name = NAMES.get(k - 1);
      nodes.add(new Node(name, k, prefix + "-h" + k, SUBNET + (10 + k) + ":7100", base.resolve(name)));
    }
    return new DemoLayout(base, Mode.NETNS, List.copyOf(nodes), prefix + "-client", prefix + "-br", prefix + "br0",
        SUBNET + "100", 8080, SUBNET + "100/24");
  }

  /** {@code n} nodes on loopback; {@code ports[k]} is node k's Raft port (k+1 must be free too), the last one the service's. */
  public static DemoLayout loopback(Path base, int n, int[] ports) {
    if (ports.length != checkCount(n) + 1) throw new IllegalArgumentException("need " + (n + 1) + " ports, got " + ports.length);
    List<Node> nodes = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      String name = NAMES.get(k - 1);
      nodes.add(new Node(name, k, "", "127.0.0.1:" + ports[k - 1], base.resolve(name)));
    }
    return new DemoLayout(base, Mode.LOOPBACK, List.copyOf(nodes), "", "", "", "127.0.0.1", ports[n], "");
  }

  private static int checkCount(int n) {
    if (n < 3 || n > NAMES.size()) {
      throw new IllegalArgumentException("a demo cluster has 3 to " + NAMES.size() + " nodes, got " + n);
    }
    return n;
  }

  public Node node(String name) {
    return nodes.stream().filter(x -> x.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no demo node '" + name + "', expected one of "
            + nodes.stream().map(Node::name).toList()));
  }

  /** The file where the demo remembers what it started, for {@code --stop}. */
  public Path stateFile() {
    return base.resolve("demo.json");
  }

  public Path configFile() {
    return base.resolve("cluster.yaml");
  }

  public Path serviceScript() {
    return base.resolve("demo-service.py");
  }

  /** The URL a client uses. */
  public String url() {
    return "http://" + serviceHost + ":" + servicePort + "/";
  }
}
