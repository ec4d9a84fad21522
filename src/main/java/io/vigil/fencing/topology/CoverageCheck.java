package io.vigil.fencing.topology;

import io.vigil.fencing.DeviceSettings;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * The apply-time check "every node can be fenced by some device", pure. With fencing enabled its findings
 * are errors (the configuration is refused); with {@code fencing-enabled: false} the same findings are warnings.
 */
public final class CoverageCheck {
  private CoverageCheck() {}

  /** One finding; {@code error} false means a warning. */
  public record Finding(boolean error, String node, String message) {}

  public static List<Finding> check(ClusterConfig config, Topology topology) {
    boolean enabled = config.properties().getOrDefault(ClusterProperties.FENCING_ENABLED);
    List<Finding> out = new ArrayList<>();
    for (Node n : config.nodes()) {
      if (n.witness()) continue; // runs nothing: never fenced while it has run nothing (StatusView)
      List<Level> plan = topology.plan(n.name());
      if (plan.isEmpty()) {
        out.add(finding(enabled, n.name(), "node '" + n.name() + "' cannot be fenced by any device ("
            + describeDevices(topology) + "); add a device whose pcmk_host_list or pcmk_host_map names it, or a fencing level"));
        continue;
      }
      boolean anyUsable = false;
      for (Level l : plan) {
        boolean levelUsable = true;
        for (String d : l.devices()) {
          DeviceSettings s = topology.device(d).orElse(null);
          if (s == null) {
            out.add(finding(enabled, n.name(), "fencing level " + l.index() + " for '" + n.name() + "' names '" + d
                + "', which is not a fence device"));
            levelUsable = false;
          } else if (!s.staticallyFences(n.name()).orElse(true)) {
            out.add(finding(enabled, n.name(), "fencing level " + l.index() + " for '" + n.name() + "' uses device '" + d
                + "', which cannot fence '" + n.name() + "' (it fences " + String.join(", ", s.configuredTargets()) + ")"));
            levelUsable = false;
          }
        }
        anyUsable |= levelUsable;
      }
      if (!anyUsable && plan.stream().anyMatch(Level::explicit)) {
        out.add(finding(enabled, n.name(), "node '" + n.name() + "' has no fencing level whose devices can all fence it"));
      }
    }
    if (!enabled) {
      out.add(new Finding(false, "", "fencing is disabled (fencing-enabled: false): lost nodes are assumed down "
          + "and their resources recovered without fencing; this is unsafe unless nodes honour leases"));
    }
    return out;
  }

  private static Finding finding(boolean enabled, String node, String message) {
    return new Finding(enabled, node, message + (enabled ? "" : " (allowed because fencing is disabled)"));
  }

  private static String describeDevices(Topology t) {
    if (t.devices().isEmpty()) return "no fence device is configured";
    List<String> parts = new ArrayList<>();
    t.devices().forEach((id, s) -> parts.add(id + " fences " + (s.configuredTargets().isEmpty() ? "?" : String.join(",", s.configuredTargets()))));
    return String.join("; ", parts);
  }
}
