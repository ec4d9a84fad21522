package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.Apply;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.OpResult;
import io.vigil.cluster.state.Transition.ActionProgress;
import io.vigil.cluster.state.Transition.ActionProgress.Phase;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A whole cluster in one thread: the real replicated state machine, the real scheduler and the
 * coordinator logic, with simulated agents (a resource "runs" on a node while the simulation
 * says so) and a simulated clock. Faults are injected between steps; {@link #invariantViolations}
 * is checked after every step.
 */
final class CoordinatorSimulation {
  final Map<String, Set<String>> running = new HashMap<>(); // resource instance -> nodes where it really runs
  final List<String> log = new ArrayList<>();
  final Set<String> powered = new LinkedHashSet<>();
  private final Set<String> failNextStart = new LinkedHashSet<>();
  private final Random random;
  /** Nodes cut off from the others (power loss or partition), and since when. */
  final Map<String, Instant> outSince = new HashMap<>();
  /**
   * Actions a node ran whose result has not reached the cluster yet (a slow network, a busy
   * daemon): reported at a later step, or never if the node is cut off or its daemon restarts.
   */
  private final List<Report> inFlight = new ArrayList<>();
  /**
   * Promotion scores the agents set (crm_master) when they start or find their resource running:
   * "node/resource" (the base id with {@link #oneProcessPerNode}) -> score.
   */
  final Map<String, String> agentScores = new HashMap<>();
  /** Notifications delivered: "node action-id transition-id". */
  final List<String> notified = new ArrayList<>();
  /** Promoted instances: resource (instance, or base id with {@link #oneProcessPerNode}) -> nodes. */
  final Map<String, Set<String>> promoted = new HashMap<>();
  /**
   * Agents that run one process per node for every instance of a clone (an anonymous clone's
   * agent does not know the instance number): any instance's probe or monitor on a node answers
   * for that process, and a stop of any instance stops it.
   */
  boolean oneProcessPerNode;
  /** Base ids of clones: they may run on several nodes (the invariant then checks promotion only). */
  final Set<String> clones = new LinkedHashSet<>();
  /** Whether a LOST mark is recorded with the leader's plan (as the daemons do); off to take the plan in a later round. */
  boolean withPlans = true;
  /** Chance that a node reports an action's result in the step it ran it; the rest arrive later. */
  double promptReports = 1.0;

  /**
   * A node cut off from quorum has stopped everything by this long after the cut (quorum lost at
   * node-timeout plus an election, then its agents' stops; the lease makes it stop before the
   * survivors' {@link StatusView#LOST_NODE_LEASE}).
   */
  static final Duration SELF_STOP_AFTER = Duration.ofMillis(1500);

  private record Report(String node, String key, List<Command> commands, String what) {}
  /** The states after the last rounds (a bounded window): a restarted daemon's log may end at any of them. */
  private final java.util.ArrayDeque<ClusterState> past = new java.util.ArrayDeque<>();
  /**
   * A node's local copy of the state for its next round, when its daemon just (re)started on a log
   * that lags the cluster; after that round it has caught up.
   */
  private final Map<String, ClusterState> staleView = new HashMap<>();
  /**
   * Each node's current daemon's incarnation, as CoordinatorService draws one per process; a restart
   * draws a new one, announced in the state a round later (claims made for the old one meanwhile are
   * claimed again by the node).
   */
  private final Map<String, String> incarnation = new HashMap<>();
  private final Set<String> unannounced = new LinkedHashSet<>();
  private int incarnations;
  ClusterState state;
  ClusterConfig config;
  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  /** Fencing attempts that fail before one succeeds (the device is down). */
  int fencingFailuresLeft;
  /** When each fencing attempt ran (simulated epoch ms). */
  final List<Long> fenceAttempts = new ArrayList<>();
  /** Call ids as the daemons draw them (epoch millis x 1000), far beyond an int. */
  private long callId = 1_767_225_600_000L * 1000;

  CoordinatorSimulation(String yaml, long seed) {
    this.random = new Random(seed);
    ConfigLoader.Result r = new ConfigLoader(AgentCatalog.NONE).check(yaml, "sim.yaml");
    if (!r.valid()) throw new IllegalArgumentException(r.errors().toString());
    config = r.config().orElseThrow();
    state = ClusterState.initial(config.name());
    apply(new Command.ApplyConfig(0, yaml, "simulation", "sim", millis()));
    for (var n : config.nodes()) {
      powered.add(n.name());
      apply(new Command.SetNodeState(n.name(), NodeState.ONLINE, "joined", "sim", millis()));
      incarnation.put(n.name(), "i" + ++incarnations);
      announce(n.name());
    }
  }

  /** Commits an operator's edit of the configuration, as {@code vigil resource stop|start} does. */
  void reconfigure(ClusterConfig next) {
    apply(new Command.ApplyConfig(state.epoch(), io.vigil.config.ConfigWriter.write(next), "operator", "root", millis()));
    config = next;
  }

  long millis() {
    return now.toEpochMilli();
  }

  void apply(Command c) {
    var out = Apply.apply(state, c);
    if (!out.result().accepted()) log.add("rejected " + c.getClass().getSimpleName() + ": " + out.result().message());
    state = out.state();
  }

  /** One round: the leader decides, then every powered node runs what is ready. Returns whether anything happened. */
  boolean step() {
    now = now.plus(Duration.ofMillis(100));
    boolean progressed = selfStopCutOffNodes() | deliverReports();
    for (String n : List.copyOf(unannounced)) {
      if (powered.contains(n)) announce(n);
    }
    List<String> nodes = new ArrayList<>(powered);
    java.util.Collections.shuffle(nodes, random);
    // the leader changes at random between rounds, as after elections; it plans as itself
    String leader = nodes.isEmpty() ? "" : nodes.getFirst();
    var d = CoordinatorLogic.decide(state, config, true, now, leader);
    if (d instanceof CoordinatorLogic.Replan r) {
      apply(r.command());
      log.add("plan " + r.command().transition().id() + ": " + r.plan().ids());
      progressed = true;
    }
    for (String node : nodes) {
      ClusterState view = staleView.containsKey(node) ? staleView.remove(node) : state;
      if (view.status().transition() == null) continue;
      String tid = view.status().transition().id();
      for (PlannedAction a : NodeWork.ready(view, node, node.equals(leader), now, config.properties())) {
        String key = tid + "/" + a.id();
        if (inFlight.stream().anyMatch(r -> r.node().equals(node) && r.key().equals(key))) continue; // it runs already
        if (!claim(node, view, tid, a)) continue;
        execute(node, tid, a);
        progressed = true;
      }
    }
    past.addLast(state);
    if (past.size() > 40) past.removeFirst();
    return progressed;
  }

  /**
   * As {@link CoordinatorService} claims: a claim this daemon made stands; anything else (pending,
   * or a claim found in a log read after a restart) is claimed through the committed state, which
   * refuses it under a plan that went on meanwhile.
   */
  private boolean claim(String node, ClusterState view, String tid, PlannedAction a) {
    if (NodeWork.claimedFor(view, node, incarnation.get(node), a.id())) return true;
    var out = Apply.apply(state, new Command.ReportProgress(tid,
        new ActionProgress(a.id(), Phase.RUNNING, 0, millis(), node, incarnation.get(node)), node, millis()));
    state = out.state();
    if (!out.result().accepted()) {
      log.add(node + " not running " + a.id() + " of " + tid + ": " + out.result().message());
      return false;
    }
    return true;
  }

  /** The node's daemon records its incarnation (once the state knows the node). */
  private void announce(String node) {
    var out = Apply.apply(state, new Command.SetNodeAttribute(node, io.vigil.cluster.state.NodeStatus.INCARNATION,
        incarnation.get(node), node, millis()));
    state = out.state();
    if (out.result().accepted()) unannounced.remove(node);
    else unannounced.add(node);
  }

  /** What CoordinatorService claims with an action's end: the actions of any node that waited only for it. */
  private List<Command> claimsAfter(String node, String tid, PlannedAction done) {
    if (state.status().transition() == null || !state.status().transition().id().equals(tid)) return List.of();
    return NodeWork.claimsAfter(state, done.id(), node, incarnation.get(node), millis()).stream()
        .<Command>map(p -> new Command.ReportProgress(tid, p, node, millis())).toList();
  }

  /** A cut-off node stops its resources on its own once its quorum is gone (LocalActive, StopWithoutQuorum). */
  private boolean selfStopCutOffNodes() {
    boolean any = false;
    for (var e : outSince.entrySet()) {
      if (now.isBefore(e.getValue().plus(SELF_STOP_AFTER))) continue;
      promoted.values().forEach(p -> p.remove(e.getKey()));
      for (Set<String> where : running.values()) {
        if (where.remove(e.getKey())) {
          log.add(e.getKey() + " stopped its resources without quorum");
          any = true;
        }
      }
    }
    return any;
  }

  /** Reports still on their way arrive now, some of them. */
  private boolean deliverReports() {
    boolean any = false;
    for (var it = inFlight.iterator(); it.hasNext(); ) {
      Report r = it.next();
      if (!powered.contains(r.node())) {
        it.remove(); // cut off: this report is lost; the node's claim stays open until it is lost or back
        continue;
      }
      if (random.nextDouble() < 0.5) continue;
      r.commands().forEach(this::apply);
      log.add(r.node() + " reported " + r.what());
      it.remove();
      any = true;
    }
    return any;
  }

  /** Steps until nothing happens any more (bounded). */
  int converge(int maxSteps) {
    for (int i = 0; i < maxSteps; i++) {
      if (!step() && inFlight.isEmpty()) return i;
      List<String> bad = invariantViolations();
      if (!bad.isEmpty()) throw new AssertionError("after step " + i + ": " + bad + "\n" + String.join("\n", log));
    }
    throw new AssertionError("no convergence in " + maxSteps + " steps\n" + String.join("\n", log));
  }

  private void execute(String node, String tid, PlannedAction a) {
    if (a.kind().equals("FENCE")) {
      String target = a.resource();
      if (fencingFailuresLeft > 0) { // the device fails: recorded with the action's end, as CoordinatorService does
        fencingFailuresLeft--;
        fenceAttempts.add(millis());
        apply(new Command.Batch(List.of(
            new Command.RecordFencing(target, "topology", "reboot", false, 0, "automatic: pdu unreachable", node, millis()),
            new Command.ReportProgress(tid, new ActionProgress(a.id(), Phase.FAILED, 1, millis(), node), node, millis())),
            node, millis()));
        log.add(node + " failed to fence " + target);
        return;
      }
      fenceAttempts.add(millis());
      powered.remove(target);
      running.values().forEach(s -> s.remove(target));
      promoted.values().forEach(s -> s.remove(target));
      apply(new Command.SetNodeState(target, NodeState.FENCED, "fenced by " + node, node, millis()));
      List<Command> done = new ArrayList<>(List.of(new Command.ReportProgress(tid, new ActionProgress(a.id(), Phase.DONE, 0, millis(), node),
          node, millis())));
      done.addAll(claimsAfter(node, tid, a));
      apply(new Command.Batch(done, node, millis()));
      log.add(node + " fenced " + target);
      return;
    }
    if (a.kind().equals("NOTIFY")) { // the agent hears of it; nothing is recorded but the action's end
      notified.add(node + " " + a.id() + " " + tid);
      List<Command> report = new ArrayList<>(List.of(new Command.ReportProgress(tid, new ActionProgress(a.id(), Phase.DONE, 0, millis(), node),
          node, millis())));
      report.addAll(claimsAfter(node, tid, a));
      deliver(node, tid + "/" + a.id(), report, a.id());
      return;
    }
    String rsc = oneProcessPerNode ? StatusView.baseId(a.resource()) : a.resource();
    Set<String> where = running.computeIfAbsent(rsc, k -> new LinkedHashSet<>());
    Set<String> promotedHere = promoted.computeIfAbsent(rsc, k -> new LinkedHashSet<>());
    int rc;
    switch (a.kind()) {
      case "PROMOTE" -> {
        promotedHere.add(node);
        rc = 0;
      }
      case "DEMOTE" -> {
        promotedHere.remove(node);
        rc = 0;
      }
      case "START" -> {
        if (failNextStart.remove(a.resource() + "@" + node)) {
          rc = 1;
        } else {
          where.add(node);
          rc = 0;
        }
      }
      case "STOP" -> {
        where.remove(node);
        promotedHere.remove(node);
        rc = 0;
      }
      case "PROBE", "MONITOR" -> rc = !where.contains(node) ? 7 : promotedHere.contains(node) ? 8 : 0;
      default -> rc = 0;
    }
    boolean failed = !ActionInvocations.succeeded(config, a, rc);
    String score = agentScores.get(node + "/" + rsc);
    boolean runsHere = a.kind().equals("START") && rc == 0 || (a.kind().equals("PROBE") || a.kind().equals("MONITOR")) && (rc == 0 || rc == 8);
    var attrs = state.status().nodes().get(node) == null ? Map.<String, String>of() : state.status().nodes().get(node).attributes();
    if (score != null && runsHere && !score.equals(attrs.get("master-" + rsc))) {
      apply(new Command.SetNodeAttribute(node, "master-" + rsc, score, node, millis())); // crm_master, as Stateful does
    }
    boolean asPlanned = ActionInvocations.asPlanned(config, a, rc);
    List<Command> report = new ArrayList<>(List.of(
        new Command.RecordOperation(new OpResult(a.resource(), node, a.agentAction(), a.intervalMs(), rc, ++callId,
            millis(), 1, failed, ""), node, millis()),
        new Command.ReportProgress(tid, new ActionProgress(a.id(), asPlanned ? Phase.DONE : Phase.FAILED, rc, millis(), node),
            node, millis())));
    if (asPlanned) {
      report.addAll(claimsAfter(node, tid, a));
    } else if (state.status().transition() != null && state.status().transition().id().equals(tid)) {
      // As CoordinatorService: the claims of this daemon that waited for the failed step are cancelled with it.
      for (String id : NodeWork.claimedAfter(state, a.id(), node, incarnation.get(node))) {
        report.add(new Command.ReportProgress(tid, new ActionProgress(id, Phase.CANCELLED, 0, millis(), node), node, millis()));
      }
    }
    log.add(node + " " + a.id() + " rc=" + rc);
    deliver(node, tid + "/" + a.id(), report, a.id() + " rc=" + rc);
  }

  /** A node's report: applied now, or (with {@link #promptReports} below 1) at a later step or never. */
  private void deliver(String node, String key, List<Command> report, String what) {
    if (random.nextDouble() < promptReports) {
      report.forEach(this::apply);
    } else {
      inFlight.add(new Report(node, key, report, what));
    }
  }

  /** Power loss: the node stops answering; what it ran keeps running until it is fenced. */
  void loseNode(String node) {
    // as the leader records it: with the plan it leads to, when there is one (one log entry)
    String leader = powered.stream().filter(n -> !n.equals(node)).sorted().findFirst().orElse("leader");
    var mark = new Command.SetNodeState(node, NodeState.LOST, "not heard from", "leader", millis());
    apply(withPlans ? CoordinatorLogic.withLostMark(state, config, mark, now, leader) : mark);
    powered.remove(node);
    log.add("lost " + node);
  }

  /**
   * A partition (or a power loss, seen from the others): the leader marks the node lost; the node
   * keeps its resources until it is fenced or, cut off from quorum, stops them itself
   * ({@link #SELF_STOP_AFTER}).
   */
  void cutOff(String node) {
    outSince.put(node, now);
    loseNode(node);
  }

  /** The node boots again and rejoins: nothing of the cluster runs on it. */
  void rejoin(String node) {
    rejoin(node, null);
  }

  /** As {@link #rejoin(String)}, its daemon reading first a log that ends at {@code lastSeen} (null: any recent state). */
  void rejoin(String node, ClusterState lastSeen) {
    outSince.remove(node);
    powered.add(node);
    apply(new Command.SetNodeState(node, NodeState.ONLINE, "rejoined", "leader", millis()));
    restartedOnItsLog(node);
    if (lastSeen != null) staleView.put(node, lastSeen);
    log.add("rejoined " + node);
  }

  /**
   * The node's daemon restarts (crash or upgrade): its resources keep running; results it had not
   * reported are lost, and what it had claimed it runs again (OCF actions are idempotent).
   */
  void restartDaemon(String node) {
    int lost = 0;
    for (var it = inFlight.iterator(); it.hasNext(); ) {
      if (it.next().node().equals(node)) {
        it.remove();
        lost++;
      }
    }
    restartedOnItsLog(node);
    log.add("daemon of " + node + " restarted (" + lost + " unreported result(s) lost)");
  }

  /** A starting daemon forgets its claims and reads, for one round, a log that ends at some earlier state. */
  private void restartedOnItsLog(String node) {
    incarnation.put(node, "i" + ++incarnations);
    unannounced.add(node);
    if (!past.isEmpty()) staleView.put(node, new ArrayList<>(past).get(random.nextInt(past.size())));
  }

  /** Nodes that are up and connected. */
  Set<String> connected() {
    return Set.copyOf(powered);
  }

  /** The resource dies on the node without the cluster doing anything; its monitor fails next. */
  void killResource(String resource, String node) {
    running.getOrDefault(resource, Set.of()).remove(node);
    apply(new Command.RecordOperation(new OpResult(resource, node, "monitor", 10_000, 7, ++callId, millis(), 1, true,
        "not running"), node, millis()));
    log.add("killed " + resource + " on " + node);
  }

  void failNextStart(String resource, String node) {
    failNextStart.add(resource + "@" + node);
  }

  /** Safety: no single-instance resource really runs on two nodes. */
  List<String> invariantViolations() {
    List<String> bad = new ArrayList<>();
    running.forEach((rsc, nodes) -> {
      if (nodes.size() > 1 && !rsc.contains(":") && !clones.contains(rsc)) bad.add(rsc + " runs on " + nodes);
    });
    promoted.forEach((rsc, nodes) -> {
      if (nodes.size() > 1) bad.add(rsc + " is promoted on " + nodes);
    });
    return bad;
  }

  Set<String> where(String resource) {
    return running.getOrDefault(resource, Set.of());
  }
}
