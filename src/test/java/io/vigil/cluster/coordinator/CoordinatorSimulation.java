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
  ClusterState state;
  ClusterConfig config;
  Instant now = Instant.parse("2026-01-01T00:00:00Z");
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
    boolean progressed = false;
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
      for (PlannedAction a : NodeWork.ready(state, node, node.equals(leader))) {
        execute(node, a);
        progressed = true;
      }
    }
    return progressed;
  }

  /** Steps until nothing happens any more (bounded). */
  int converge(int maxSteps) {
    for (int i = 0; i < maxSteps; i++) {
      if (!step()) return i;
      List<String> bad = invariantViolations();
      if (!bad.isEmpty()) throw new AssertionError("after step " + i + ": " + bad + "\n" + String.join("\n", log));
    }
    throw new AssertionError("no convergence in " + maxSteps + " steps\n" + String.join("\n", log));
  }

  private void execute(String node, PlannedAction a) {
    String tid = state.status().transition().id();
    ActionProgress p = state.status().transition().progress().get(a.id());
    boolean claimed = p != null && p.phase() == Phase.RUNNING && p.node().equals(node);
    if (!claimed) {
      apply(new Command.ReportProgress(tid, new ActionProgress(a.id(), Phase.RUNNING, 0, millis(), node), node, millis()));
    }
    if (a.kind().equals("FENCE")) {
      String target = a.resource();
      powered.remove(target);
      running.values().forEach(s -> s.remove(target));
      apply(new Command.SetNodeState(target, NodeState.FENCED, "fenced by " + node, node, millis()));
      apply(new Command.ReportProgress(tid, new ActionProgress(a.id(), Phase.DONE, 0, millis(), node), node, millis()));
      log.add(node + " fenced " + target);
      return;
    }
    Set<String> where = running.computeIfAbsent(a.resource(), k -> new LinkedHashSet<>());
    int rc;
    switch (a.kind()) {
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
        rc = 0;
      }
      case "PROBE", "MONITOR" -> rc = where.contains(node) ? 0 : 7;
      default -> rc = 0;
    }
    boolean failed = switch (a.kind()) {
      case "PROBE" -> rc != 0 && rc != 7;
      default -> rc != 0;
    };
    apply(new Command.RecordOperation(new OpResult(a.resource(), node, a.agentAction(), a.intervalMs(), rc, ++callId,
        millis(), 1, failed, ""), node, millis()));
    apply(new Command.ReportProgress(tid, new ActionProgress(a.id(), failed ? Phase.FAILED : Phase.DONE, rc, millis(), node),
        node, millis()));
    log.add(node + " " + a.id() + " rc=" + rc);
  }

  /** Power loss: the node stops answering; what it ran keeps running until it is fenced. */
  void loseNode(String node) {
    apply(new Command.SetNodeState(node, NodeState.LOST, "not heard from", "leader", millis()));
    powered.remove(node);
    log.add("lost " + node);
  }

  /** The node boots again and rejoins: nothing of the cluster runs on it. */
  void rejoin(String node) {
    powered.add(node);
    apply(new Command.SetNodeState(node, NodeState.ONLINE, "rejoined", "leader", millis()));
    log.add("rejoined " + node);
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
      if (nodes.size() > 1 && !rsc.contains(":")) bad.add(rsc + " runs on " + nodes);
    });
    return bad;
  }

  Set<String> where(String resource) {
    return running.getOrDefault(resource, Set.of());
  }
}
