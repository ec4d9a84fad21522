package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.ClusterConfig;
import io.vigil.model.Colocation;
import io.vigil.model.Constraint;
import io.vigil.model.Group;
import io.vigil.model.Location;
import io.vigil.model.Order;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.Score;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import io.vigil.status.ResourceHistory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Safety invariants of the scheduler over random configurations and statuses. */
class SchedulerProperties {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final int[] SCORES = {-1_000_000, -100, 0, 50, 100, 1_000_000};

  /** A random cluster: config, status, and the node states the generator chose. */
  record Scenario(ClusterConfig config, ClusterStatus status, Set<String> cannotRun) {}

  static Scenario scenario(long seed) {
    Random r = new Random(seed);
    int nodeCount = 1 + r.nextInt(5);
    List<String> nodes = new ArrayList<>();
    for (int i = 1; i <= nodeCount; i++) nodes.add("n" + i);
    int count = 1 + r.nextInt(8);
    List<Primitive> prims = new ArrayList<>();
    for (int i = 0; i < count; i++) prims.add(Fixtures.dummy("r" + i));
    List<Resource> resources = new ArrayList<>();
    int grouped = r.nextInt(3) == 0 ? Math.min(count, 2 + r.nextInt(2)) : 0;
    if (grouped > 1) resources.add(new Group("g", prims.subList(0, grouped), null));
    resources.addAll(prims.subList(grouped > 1 ? grouped : 0, count));
    List<Constraint> cons = new ArrayList<>();
    for (int i = 0; i < r.nextInt(6); i++) {
      Resource res = resources.get(r.nextInt(resources.size()));
      cons.add(Location.of("l" + i, res.id(), nodes.get(r.nextInt(nodeCount)), Score.of(SCORES[r.nextInt(SCORES.length)])));
    }
    for (int i = 0; i < r.nextInt(3) && resources.size() > 1; i++) {
      Resource a = resources.get(r.nextInt(resources.size()));
      Resource b = resources.get(r.nextInt(resources.size()));
      if (a == b) continue;
      cons.add(Colocation.of("c" + i, a.id(), b.id(), Score.of(SCORES[r.nextInt(SCORES.length)])));
      if (r.nextBoolean()) cons.add(Order.of("o" + i, b.id(), a.id()));
    }
    boolean fencing = r.nextBoolean();
    Map<String, String> props = Map.of("fencing-enabled", Boolean.toString(fencing));
    // with fencing enabled and no device Pacemaker manages nothing; give it a device
    if (fencing) resources.add(Fixtures.fence("fencing"));
    ClusterConfig config = Fixtures.config(nodes, resources, cons, props,
        r.nextBoolean() ? Map.of("resource-stickiness", Integer.toString(r.nextInt(200))) : Map.of());
    Map<String, List<ResourceHistory>> hist = new HashMap<>();
    nodes.forEach(n -> hist.put(n, new ArrayList<>()));
    for (Primitive p : prims) {
      int where = r.nextInt(nodeCount + 1);
      for (int i = 0; i < nodeCount; i++) {
        String n = nodes.get(i);
        if (i == where) {
          hist.get(n).add(r.nextInt(4) == 0 ? Fixtures.monitorFailed(p.id(), 1, r.nextBoolean() ? 1 : 7)
              : Fixtures.running(p.id(), 1));
        } else if (r.nextBoolean()) {
          hist.get(n).add(Fixtures.stopped(p.id(), 1));
        }
      }
    }
    List<NodeStatus> ns = new ArrayList<>();
    Set<String> cannotRun = new HashSet<>();
    for (String n : nodes) {
      NodeStatus s = NodeStatus.online(n, hist.get(n));
      switch (r.nextInt(6)) {
        case 0 -> {
          s = s.withMembership("false", "offline", "member", "member");
          cannotRun.add(n);
        }
        case 1 -> {
          s = s.withMembership("false", "offline", "down", "down");
          cannotRun.add(n);
        }
        case 2 -> {
          s = s.withAttributes(Map.of("standby", "on"));
          cannotRun.add(n);
        }
        default -> { }
      }
      ns.add(s);
    }
    return new Scenario(config, ClusterStatus.of(ns), cannotRun);
  }

  @Property(tries = 400)
  void neverPlacesOnMinusInfinityNorOnNodesThatCannotRun(@ForAll long seed) {
    Scenario sc = scenario(seed);
    Transition t = Scheduler.schedule(sc.config(), sc.status(), NOW);
    for (Transition.Placement p : t.placements()) {
      if (p.target().isEmpty() || !p.managed()) continue;
      String node = p.target().get();
      String unit = sc.config().parentOf(p.resourceId()).map(Resource::id).orElse(p.resourceId());
      for (Constraint c : sc.config().constraints()) {
        if (c instanceof Location l && l.node().orElseThrow().equals(node) && l.score().orElseThrow().isMinusInfinity()) {
          assertThat(l.resource().orElseThrow()).as("%s placed on %s despite %s", p.instanceId(), node, l.id())
              .isNotIn(unit, p.resourceId());
        }
      }
      assertThat(sc.cannotRun()).as("%s placed on %s", p.instanceId(), node).doesNotContain(node);
    }
  }

  @Property(tries = 400)
  void neverStartsOnUncleanStandbyOrOfflineNodesAndEachPrimitiveStartsOnce(@ForAll long seed) {
    Scenario sc = scenario(seed);
    Transition t = Scheduler.schedule(sc.config(), sc.status(), NOW);
    Set<String> started = new HashSet<>();
    for (Transition.Action a : t.actions()) {
      if (a.kind() != Transition.Kind.START) continue;
      assertThat(sc.cannotRun()).as("start of %s", a.resource()).doesNotContain(a.node());
      assertThat(started.add(a.resource())).as("%s started twice", a.resource()).isTrue();
    }
  }

  @Property(tries = 400)
  void afterTheTransitionNoPrimitiveRunsOnTwoNodes(@ForAll long seed) {
    Scenario sc = scenario(seed);
    Transition t = Scheduler.schedule(sc.config(), sc.status(), NOW);
    for (Transition.Placement p : t.placements()) {
      if (!p.managed()) continue;
      Set<String> after = new HashSet<>(p.current().keySet());
      for (Transition.Action a : t.actions()) {
        if (!a.resource().equals(p.instanceId())) continue;
        if (a.kind() == Transition.Kind.STOP) after.remove(a.node());
        if (a.kind() == Transition.Kind.START) after.add(a.node());
      }
      assertThat(after).as("%s runs on", p.instanceId()).hasSizeLessThanOrEqualTo(1);
      assertThat(after).isEqualTo(p.target().map(Set::of).orElse(Set.of()));
    }
  }

  @Property(tries = 400)
  void actionGraphIsAcyclic(@ForAll long seed) {
    Scenario sc = scenario(seed);
    Transition t = Scheduler.schedule(sc.config(), sc.status(), NOW);
    int n = t.actions().size();
    int[] indegree = new int[n];
    Map<Integer, List<Integer>> out = new HashMap<>();
    for (Transition.Edge e : t.edges()) {
      indegree[e.then()]++;
      out.computeIfAbsent(e.first(), k -> new ArrayList<>()).add(e.then());
    }
    Deque<Integer> ready = new ArrayDeque<>();
    for (int i = 0; i < n; i++) if (indegree[i] == 0) ready.add(i);
    int seen = 0;
    while (!ready.isEmpty()) {
      int i = ready.poll();
      seen++;
      for (int j : out.getOrDefault(i, List.of())) if (--indegree[j] == 0) ready.add(j);
    }
    assertThat(seen).as("actions in a topological order").isEqualTo(n);
  }

  @Property(tries = 200)
  void sameInputGivesTheSameTransition(@ForAll long seed) {
    Scenario a = scenario(seed);
    Scenario b = scenario(seed);
    assertThat(Scheduler.schedule(a.config(), a.status(), NOW)).isEqualTo(Scheduler.schedule(b.config(), b.status(), NOW));
  }

  /**
   * Every node location of a random scenario rewritten as a rule "#uname eq N and date lt END"
   * (what a move or ban with a lifetime writes) schedules as the plain constraint before END and
   * as if it were absent from END on.
   */
  @Property(tries = 200)
  void aLocationWithALifetimeActsUntilItsEndAndNotAfter(@ForAll long seed, @ForAll @net.jqwik.api.constraints.IntRange(
      min = 1, max = 100_000) int lifetime) {
    Scenario sc = scenario(seed);
    Instant end = NOW.plusSeconds(lifetime);
    List<Constraint> timed = new ArrayList<>();
    List<Constraint> without = new ArrayList<>();
    for (Constraint c : sc.config().constraints()) {
      if (c instanceof Location l && l.node().isPresent()) {
        var uname = new io.vigil.model.AttributeExpression(l.id() + "-n", "#uname", io.vigil.model.AttributeExpression.Operator.EQ,
            java.util.Optional.of(l.node().get()), io.vigil.model.AttributeExpression.ValueType.STRING, "literal");
        var until = new io.vigil.model.DateExpression(l.id() + "-d", "lt", java.util.Optional.empty(),
            java.util.Optional.of(end.toString()), Map.of(), Map.of());
        var rule = new io.vigil.model.Rule(l.id() + "-r", l.score(), java.util.Optional.empty(), java.util.Optional.empty(),
            io.vigil.model.Rule.BooleanOp.AND, List.of(uname, until));
        timed.add(new Location(l.id(), l.resource(), java.util.Optional.empty(), java.util.Optional.empty(),
            java.util.Optional.empty(), List.of(rule), l.role(), l.resourceDiscovery()));
      } else {
        timed.add(c);
        without.add(c);
      }
    }
    ClusterConfig withLifetime = withConstraints(sc.config(), timed);
    ClusterConfig expired = withConstraints(sc.config(), without);
    Instant before = end.minusSeconds(1);
    assertThat(placements(Scheduler.schedule(withLifetime, sc.status(), before)))
        .isEqualTo(placements(Scheduler.schedule(sc.config(), sc.status(), before)));
    assertThat(placements(Scheduler.schedule(withLifetime, sc.status(), end)))
        .isEqualTo(placements(Scheduler.schedule(expired, sc.status(), end)));
  }

  private static ClusterConfig withConstraints(ClusterConfig c, List<Constraint> constraints) {
    return new ClusterConfig(c.name(), c.nodes(), c.resources(), constraints, c.properties(), c.resourceDefaults(),
        c.operationDefaults(), c.fencingLevels());
  }

  private static Map<String, java.util.Optional<String>> placements(Transition t) {
    Map<String, java.util.Optional<String>> m = new HashMap<>();
    t.placements().forEach(p -> m.put(p.instanceId(), p.target()));
    return m;
  }
}
