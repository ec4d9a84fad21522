package io.vigil.cluster.state;

import java.util.List;
import java.util.Map;

/**
 * The whole replicated state: configuration, membership, status, fencing pauses, join tokens and
 * history. Immutable; {@link Apply#apply} returns a new one.
 *
 * @param version number of commands applied successfully (grows by one each; lets a reader debounce)
 * @param config the current configuration; {@link ConfigVersion#NONE} before the first apply
 * @param members by name
 * @param joinTokens unused join tokens by id
 */
public record ClusterState(
    String clusterName,
    long version,
    ConfigVersion config,
    Map<String, Member> members,
    Status status,
    List<FencingPause> fencingPauses,
    Map<String, JoinToken> joinTokens,
    History history) {

  public ClusterState {
    clusterName = Sorted.text(clusterName);
    config = config == null ? ConfigVersion.NONE : config;
    members = Sorted.map(members);
    status = status == null ? Status.EMPTY : status;
    fencingPauses = Sorted.list(fencingPauses);
    joinTokens = Sorted.map(joinTokens);
    history = history == null ? History.EMPTY : history;
  }

  /** A new cluster's state before anything happened. */
  public static ClusterState initial(String clusterName) {
    return new ClusterState(clusterName, 0, ConfigVersion.NONE, Map.of(), Status.EMPTY, List.of(), Map.of(), History.EMPTY);
  }

  /** The configuration epoch; 0 before the first configuration. */
  /**
   * Actions of the current transition that are RUNNING on a node that can still report their end
   * (a lost or fenced node never will): while there are any, no new plan may replace it.
   */
  public List<String> openClaims() {
    Transition t = status().transition();
    if (t == null) return List.of();
    return t.progress().values().stream()
        .filter(p -> p.phase() == Transition.ActionProgress.Phase.RUNNING)
        .filter(p -> {
          NodeStatus ns = status().nodes().get(p.node());
          return ns == null || (ns.state() != NodeState.LOST && ns.state() != NodeState.FENCED);
        })
        .map(Transition.ActionProgress::actionId).sorted().toList();
  }

  public long epoch() {
    return config.epoch();
  }

  /** Pauses still in force at {@code nowMillis}. */
  public List<FencingPause> activePauses(long nowMillis) {
    return fencingPauses.stream().filter(p -> nowMillis < p.untilMillis()).toList();
  }

  /** Voting members, by name. */
  public List<Member> voters() {
    return members.values().stream().filter(m -> m.role() == Member.Role.VOTER).toList();
  }

  ClusterState with(ConfigVersion c, Map<String, Member> m, Status s, List<FencingPause> p, Map<String, JoinToken> t, History h) {
    return new ClusterState(clusterName, version + 1, c, m, s, p, t, h);
  }
}
