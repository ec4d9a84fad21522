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
    Set<String> clusterNodes = config.nodes().stream().map(Node::name).collect(Collectors.toCollection(java.util.TreeSet::new));
    List<String> out = new ArrayList<>();
    for (var r : config.allResources()) {
      if (!(r instanceof Primitive p) || p.agent().resourceClass() != ResourceClass.BUILTIN || !p.agent().type().equals("volume")) continue;
      String err = check(p.params(), clusterNodes);
      if (err != null) out.add("resource '" + p.id() + "': " + err);
    }
    return out;
  }

  /** The problem with one volume resource's parameters in a cluster of {@code clusterNodes}, or null. */
  static String check(Map<String, String> params, Set<String> clusterNodes) {
    List<String> named;
    if (params.containsKey("addresses")) {
      named = java.util.Arrays.stream(params.get("addresses").split(",")).map(e -> e.split("=", 2)[0].strip()).toList();
    } else if (params.containsKey("nodes")) {
      named = java.util.Arrays.stream(params.get("nodes").split(",")).map(String::strip).toList();
    } else {
      return "builtin:volume with listen/peer needs nodes: the two cluster nodes that hold its copies (e.g. nodes: \"a,b\"), so that a "
          + "Primary that loses its peer can record that node Outdated in the cluster (a copy missing acknowledged writes is then "
          + "never promoted); or give addresses (NODE=HOST:PORT,NODE=HOST:PORT) instead of listen and peer";
    }
    for (String n : named) {
      if (!clusterNodes.contains(n)) {
        return "builtin:volume names node '" + n + "' (in " + (params.containsKey("addresses") ? "addresses" : "nodes")
            + "), which is not a node of this cluster " + new java.util.TreeSet<>(clusterNodes);
      }
    }
    try {
      VolumeAgentParams.parse(params, Path.of("/nonexistent-state-dir"), named.isEmpty() ? null : named.get(0));
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return null;
  }
}
