package io.vigil.demo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's network: one namespace per node and one for the client, each with {@code eth0} on
 * a Linux bridge that lives in a namespace of its own, so nothing touches the host's interfaces.
 * Node K has 10.77.0.(10+K)/24, the client 10.77.0.250/24.
 */
final class NetnsLab {
  private final DemoLayout layout;
  private final Commands cmd;

  NetnsLab(DemoLayout layout, Commands cmd) {
    this.layout = layout;
    this.cmd = cmd;
  }

  /** Whether this process may create network namespaces (root, and a kernel and container that allow it). */
  static boolean available(Commands cmd) {
    String probe = DemoLayout.NS_PREFIX + "-check-" + ProcessHandle.current().pid();
    boolean ok = cmd.tryRun("ip", "netns", "add", probe);
    if (ok) cmd.tryRun("ip", "netns", "del", probe);
    return ok;
  }

  /** Every namespace of the demo, bridge first. */
  List<String> namespaces() {
    List<String> all = new ArrayList<>(List.of(layout.bridgeNamespace(), layout.clientNamespace()));
    layout.nodes().forEach(n -> all.add(n.namespace()));
    return all;
  }

  void up() throws IOException {
    String br = layout.bridgeNamespace();
    cmd.run("ip", "netns", "add", br);
    cmd.run("ip", "-n", br, "link", "set", "lo", "up");
    cmd.run("ip", "-n", br, "link", "add", layout.bridge(), "type", "bridge", "stp_state", "0", "forward_delay", "0");
    cmd.run("ip", "-n", br, "link", "set", layout.bridge(), "up");
    for (DemoLayout.Node n : layout.nodes()) plug(n.namespace(), port(n), n.host() + "/24");
    plug(layout.clientNamespace(), "client", DemoLayout.SUBNET + "250/24");
  }

  private void plug(String ns, String port, String cidr) throws IOException {
    String br = layout.bridgeNamespace();
    cmd.run("ip", "netns", "add", ns);
    cmd.run("ip", "-n", ns, "link", "set", "lo", "up");
    cmd.run("ip", "-n", br, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
    cmd.run("ip", "-n", br, "link", "set", port, "master", layout.bridge());
    cmd.run("ip", "-n", br, "link", "set", port, "up");
    cmd.run("ip", "-n", ns, "addr", "add", cidr, "dev", "eth0");
    cmd.run("ip", "-n", ns, "link", "set", "eth0", "up");
  }

  /** The bridge-side end of a node's cable. */
  static String port(DemoLayout.Node n) {
    return "h" + n.index();
  }

  /** Pulls or plugs {@code n}'s cable (its bridge port): a network partition, everything keeps running. */
  void cable(DemoLayout.Node n, boolean up) throws IOException {
    cmd.run("ip", "-n", layout.bridgeNamespace(), "link", "set", port(n), up ? "up" : "down");
  }

  /** Power loss of {@code n}: its cable is pulled (bridge port down) and every process in its namespace is killed. */
  void powerOff(DemoLayout.Node n) throws IOException {
    cable(n, false);
    for (long pid : cmd.namespacePids(n.namespace())) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** Kills whatever still runs in the demo's namespaces and deletes them; safe to call when they are absent. */
  void down() {
    for (String ns : namespaces()) {
      for (long pid : cmd.namespacePids(ns)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (String ns : namespaces()) cmd.tryRun("ip", "netns", "del", ns);
  }

  /** Whether any of the demo's namespaces exists. */
  boolean exists() {
    try {
      String list = cmd.run("ip", "netns", "list");
      return namespaces().stream().anyMatch(ns -> list.lines().anyMatch(l -> l.split("\\s+")[0].equals(ns)));
    } catch (IOException e) {
      return false;
    }
  }
}
