package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.NodeStatus;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import java.util.Optional;

/**
 * When a node leaves its resources alone on losing quorum — no stop pass, watchdog disarmed — and
 * why. Two cases, both where the survivors can never start those resources elsewhere meanwhile:
 * <ul>
 *   <li>the node is in maintenance: a node lost in maintenance is not fenced and what it ran stays
 *       blocked until the operator confirms it down;</li>
 *   <li>the cluster is in {@code maintenance-mode} with fencing enabled: nothing is started or
 *       stopped anywhere, and once maintenance-mode ends a lost node is fenced before anything of it
 *       is recovered. Without fencing the lease is the only guard, so the node still stops.</li>
 * </ul>
 * A package upgrade that restarts vigild or blips the network must not stop what the operator put
 * in maintenance.
 */
public final class SelfStopSuspension {
  private SelfStopSuspension() {}

  /**
   * Why {@code node} leaves its resources alone now, or null when it stops them without quorum;
   * {@code config} is {@code state}'s configuration ({@link EpochConfig}), empty before the first apply.
   */
  public static String why(ClusterState state, Optional<ClusterConfig> config, String node) {
    NodeStatus own = state.status().nodes().get(node);
    if (own != null && own.state() == NodeState.MAINTENANCE) {
      return "this node is in maintenance (its resources are left alone, and the cluster never recovers them elsewhere)";
    }
    return config.filter(SelfStopSuspension::maintenanceWithFencing).isPresent()
        ? "the cluster is in maintenance-mode (nothing is started or stopped anywhere, and a lost node is fenced before "
            + "anything of it is recovered)"
        : null;
  }

  private static boolean maintenanceWithFencing(ClusterConfig c) {
    return c.properties().getOrDefault(ClusterProperties.MAINTENANCE_MODE) && c.properties().getOrDefault(ClusterProperties.FENCING_ENABLED);
  }
}
