package io.vigil.agents.volume.agent;

import io.vigil.model.ClusterConfig;
import io.vigil.model.Node;
import io.vigil.model.Primitive;
import io.vigil.model.ResourceClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What {@code vigil apply} refuses about {@code builtin:volume} resources, before anything runs:
 * malformed parameters, and nodes the fencing of the peer could not name. A Primary that loses its
 * peer records that peer's node Outdated in the cluster, so the cluster must know which node holds
 * the other copy: {@code addresses} names both, {@code listen}/{@code peer} need {@code nodes}.
 */
public final class VolumeConfigCheck {
  private VolumeConfigCheck() {}

  /** One message per problem, naming the resource and what was expected; empty when every volume resource is fine. */
  public static List<String> errors(ClusterConfig config) {
    Set<String> clusterNodes = config.nodes().stream().map(Node::name).collect(Collectors.toCollection(TreeSet::new));
    List<String> out = new ArrayList<>();
    for (var r : config.allResources()) {
      if (!(r instanceof Primitive p) || p.agent().resourceClass() != ResourceClass.BUILTIN || !p.agent().type().equals("volume")) continue;
      String err = check(p.params(), clusterNodes);
      if (err != null) out.add("resource '" + p.id() + "': " + err);
    }
    return out;
  }

  /**
   * The problem with one volume resource's parameters in a cluster of {@code clusterNodes}, or null:
   * the parameters are read as the agent reads them on a node that holds a copy, and the other copy's
   * node must be a cluster node too.
   */
  static String check(Map<String, String> params, Set<String> clusterNodes) {
    String source = params.containsKey("addresses") ? "addresses" : "nodes";
    VolumeAgentParams parsed = null;
    for (String node : new TreeSet<>(clusterNodes)) {
      try {
        parsed = VolumeAgentParams.parse(params, Path.of("/nonexistent-state-dir"), node);
        break;
      } catch (VolumeAgentParams.NotAVolumeNode e) {
        // not one of the volume's nodes: try the next
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }
    if (parsed == null) return "builtin:volume names none of this cluster's nodes " + new TreeSet<>(clusterNodes) + " (in " + source + ")";
    if (parsed.peerNode() == null) {
      return "builtin:volume with listen/peer needs nodes: the two cluster nodes that hold its copies (e.g. nodes: \"a,b\"), so that a "
          + "Primary that loses its peer can record that node Outdated in the cluster (a copy missing acknowledged writes is then "
          + "never promoted); or give addresses (NODE=HOST:PORT,NODE=HOST:PORT) instead of listen and peer";
    }
    if (!clusterNodes.contains(parsed.peerNode())) {
      return "builtin:volume names node '" + parsed.peerNode() + "' (in " + source + "), which is not a node of this cluster "
          + new TreeSet<>(clusterNodes);
    }
    return null;
  }
}
