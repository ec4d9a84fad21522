package io.vigil.agents.volume.agent;

import java.io.IOException;

/**
 * The cluster's node attributes as a built-in agent inside vigild reaches them: the same replicated
 * attributes {@code crm_master}/{@code crm_attribute} set through the {@code node-attribute} control op
 * (promotion scores {@code master-<resource>}), without a child process per call.
 */
public interface NodeAttributes {
  /** Outside a cluster ({@code vigil agent run}): nothing is read or set. */
  NodeAttributes NONE = new NodeAttributes() {
    @Override
    public String get(String node, String name) {
      return null;
    }

    @Override
    public void set(String node, String name, String value) {}
  };

  /**
   * The daemon's control socket, which the volume's serve process uses to fence its peer (a child
   * process cannot call this object); null outside a cluster (no fencing).
   */
  default java.nio.file.Path controlSocket() {
    return null;
  }

  /** {@code name} of {@code node} as this node's replicated state has it; null when unset or unknown. */
  String get(String node, String name);

  /** Sets {@code name} of {@code node} to {@code value} (null deletes it); returns once committed, throws if not. */
  void set(String node, String name, String value) throws IOException;
}
