package io.vigil.demo;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The sample configuration the demo applies: a group {@code web} of a floating IP (built-in
 * {@code ip}, namespace mode only) and a small HTTP service run by Debian's
 * {@code ocf:heartbeat:anything}, plus, in namespace mode, a lab fence device that cuts a node's
 * link and kills its processes.
 */
public final class DemoConfig {
  /** The service's resource name: its pid file tells which node runs it. */
  public static final String SERVICE = "web-http";
  public static final String GROUP = "web";
  /** The anything agent passes its command line through sh: the demo directory must need no quoting. */
  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9/._-]+");

  private DemoConfig() {}

  /** The configuration text for {@code layout}, with the default timing settings unless {@code fast}. */
  public static String yaml(DemoLayout layout, boolean fast) {
    return yaml(layout, fast, layout.mode() == DemoLayout.Mode.NETNS);
  }

  /** The same with fencing on or off (off: a lost node's resources are recovered once its lease has run out). */
  public static String yaml(DemoLayout layout, boolean fast, boolean fencing) {
    return yaml(layout, fast, fencing, java.util.Optional.empty(), false);
  }

  /**
   * The same, the service running as {@code serviceUser} (the agent's default is root), and with
   * {@code witness} the last node a witness: it votes and runs nothing (two workers + a witness).
   */
  public static String yaml(DemoLayout layout, boolean fast, boolean fencing, java.util.Optional<String> serviceUser,
      boolean witness) {
    String base = layout.base().toAbsolutePath().toString();
    if (!SAFE_PATH.matcher(base).matches()) {
      throw new IllegalArgumentException("demo directory '" + base
          + "' must consist of letters, digits and / . _ - only (the service's command line passes through sh)");
    }
    boolean netns = layout.mode() == DemoLayout.Mode.NETNS;
    StringBuilder y = new StringBuilder();
    y.append("cluster: demo\n");
    if (fencing && !netns) throw new IllegalArgumentException("fencing needs the namespace mode: loopback has no fence device");
    y.append("properties: {fencing-enabled: ").append(fencing).append(fast ? ", node-timeout: 100ms" : "").append("}\n");
    y.append("resource-defaults: {resource-stickiness: 100}\n");
    String last = layout.nodes().getLast().name();
    y.append("nodes: [").append(layout.nodes().stream()
            .map(n -> "{name: " + n.name() + (witness && n.name().equals(last) ? ", witness: true" : "") + "}")
            .collect(Collectors.joining(", ")))
        .append("]\n");
    y.append("resources:\n");
    if (fencing) {
      String map = layout.nodes().stream().map(n -> n.name() + ":" + n.namespace()).collect(Collectors.joining(";"));
      y.append("""
            - primitive: lab-fence      # cuts the node's link and kills every process in its namespace
              agent: stonith:lab
              params: {interface: eth0, pcmk_host_map: "%s"}
          """.formatted(map));
    }
    y.append("  - group: ").append(GROUP).append('\n');
    y.append("    members:\n");
    if (netns) {
      y.append("""
                - primitive: web-ip
                  agent: builtin:ip
                  params: {address: %s, interface: eth0%s}
                  operations: [{name: monitor, interval: 2s}]
            """.formatted(layout.floatingCidr(), fast ? ", probe: \"false\"" : ""));
    }
    String bind = netns ? "0.0.0.0" : layout.serviceHost();
    y.append("""
              - primitive: %s
                agent: ocf:heartbeat:anything
                params:
                  binfile: /usr/bin/python3
                  cmdline_options: "-I -S %s --bind %s --port %d --demo-dir %s"%s
                operations: [{name: monitor, interval: 2s}]
          """.formatted(SERVICE, layout.serviceScript().toAbsolutePath(), bind, layout.servicePort(), base,
        serviceUser.map(u -> "\n        user: " + u).orElse("")));
    return y.toString();
  }
}
