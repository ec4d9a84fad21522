package io.vigil.agents.ip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test lab after /work/shared/lab/netns-lab.sh: hosts PREFIX-h1..hN and PREFIX-client, each with
 * eth0 on a bridge that lives in its own namespace PREFIX-br. Host K has 10.77.0.(10+K)/24, the
 * client 10.77.0.250/24 (and fd77::K / fd77::250 when IPv6 is on). Nothing touches the root
 * namespace. {@link #close} kills processes left in the namespaces and deletes them.
 */
final class NetnsLab implements AutoCloseable {
  final String prefix;
  private final int hosts;
  private final List<String> created = new ArrayList<>();

  private NetnsLab(String prefix, int hosts) {
    this.prefix = prefix;
    this.hosts = hosts;
  }

  /** Builds a lab with a unique prefix; on any failure what was built is removed again. */
  static NetnsLab up(String base, int hosts, boolean ipv6) throws Exception {
    String prefix = base + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    NetnsLab lab = new NetnsLab(prefix, hosts);
    try {
      lab.build(ipv6);
      return lab;
    } catch (Exception e) {
      lab.close();
      throw e;
    }
  }

  String host(int k) {
    return prefix + "-h" + k;
  }

  String client() {
    return prefix + "-client";
  }

  private String bridgeNs() {
    return prefix + "-br";
  }

  private void build(boolean ipv6) throws Exception {
    String br = bridgeNs();
    addNs(br, ipv6);
    sh("ip", "-n", br, "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
    sh("ip", "-n", br, "link", "set", "br0", "up");
    for (int k = 1; k <= hosts; k++) {
      node(host(k), "h" + k, "10.77.0." + (10 + k), "fd77::" + k, ipv6);
    }
    node(client(), "client", "10.77.0.250", "fd77::250", ipv6);
  }

  private void addNs(String ns, boolean ipv6) throws Exception {
    sh("ip", "netns", "add", ns);
    created.add(ns);
    sh("ip", "-n", ns, "link", "set", "lo", "up");
    String v = ipv6 ? "0" : "1";
    sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=" + v,
        "net.ipv6.conf.default.disable_ipv6=" + v);
  }

  private void node(String ns, String port, String v4, String v6, boolean ipv6) throws Exception {
    addNs(ns, ipv6);
    sh("ip", "-n", bridgeNs(), "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
    sh("ip", "-n", bridgeNs(), "link", "set", port, "master", "br0");
    sh("ip", "-n", bridgeNs(), "link", "set", port, "up");
    sh("ip", "-n", ns, "addr", "add", v4 + "/24", "dev", "eth0");
    if (ipv6) {
      sh("ip", "-n", ns, "addr", "add", v6 + "/64", "dev", "eth0", "nodad");
    }
    sh("ip", "-n", ns, "link", "set", "eth0", "up");
  }

  /** MAC of eth0 in a namespace. */
  String mac(String ns) throws Exception {
    String out = sh("ip", "-n", ns, "-j", "link", "show", "eth0");
    int i = out.indexOf("\"address\":\"");
    return out.substring(i + 11, i + 28);
  }

  /** Neighbour entry of the client for an address, or "" when there is none. */
  String clientNeighbour(String address) throws Exception {
    return sh("ip", "-n", client(), "neigh", "show", address).strip();
  }

  /** True when the client gets an answer to one ping within a second. */
  boolean clientPings(String address) throws Exception {
    return run(List.of("ip", "netns", "exec", client(), "ping", "-n", "-q", "-c", "1", "-W", "1", address)) == 0;
  }

  /** Runs a command that must succeed and returns stdout. */
  static String sh(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", argv) + ": timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + ": exit " + p.exitValue() + ": " + out.strip());
    }
    return out;
  }

  static int run(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectErrorStream(true).start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** Kills what runs in the lab's namespaces and deletes them; never throws, so finally blocks finish. */
  @Override
  public void close() {
    boolean interrupted = Thread.interrupted(); // cleanup must run even for an interrupted test
    for (String ns : created) {
      try {
        for (String pid : sh("ip", "netns", "pids", ns).split("\\s+")) {
          if (!pid.isBlank()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      } catch (Exception e) {
        // namespace may already be gone; deleting it below is what matters
      }
    }
    for (String ns : created.reversed()) {
      try {
        run(List.of("ip", "netns", "del", ns));
      } catch (Exception e) {
        System.err.println("could not delete test namespace " + ns + ": " + e);
      }
    }
    created.clear();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
