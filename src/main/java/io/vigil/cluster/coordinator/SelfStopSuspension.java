package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.NodeStatus;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;

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
 * in maintenance. Reads the configuration of the given state, parsed once per epoch.
 */
public final class SelfStopSuspension {
  private long epoch = -1;
  private boolean suspendedByConfig;

  /** Why {@code node} leaves its resources alone now, or null when it stops them without quorum. */
  public synchronized String why(ClusterState state, String node) {
    NodeStatus own = state.status().nodes().get(node);
    if (own != null && own.state() == NodeState.MAINTENANCE) {
      return "this node is in maintenance (its resources are left alone, and the cluster never recovers them elsewhere)";
    }
    if (state.epoch() != epoch) {
      suspendedByConfig = state.epoch() > 0 && new ConfigLoader(AgentCatalog.NONE).check(state.config().yaml(), "epoch-" + state.epoch())
          .config().map(SelfStopSuspension::maintenanceWithFencing).orElse(false);
      epoch = state.epoch();
    }
    return suspendedByConfig
        ? "the cluster is in maintenance-mode (nothing is started or stopped anywhere, and a lost node is fenced before "
            + "anything of it is recovered)"
        : null;
  }

  static boolean maintenanceWithFencing(ClusterConfig c) {
    return c.properties().getOrDefault(ClusterProperties.MAINTENANCE_MODE) && c.properties().getOrDefault(ClusterProperties.FENCING_ENABLED);
  }
}
