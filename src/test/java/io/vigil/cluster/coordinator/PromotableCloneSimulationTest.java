package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cluster.state.Command;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * A promotable clone whose agent runs one process per node (as {@code builtin:volume} and DRBD
 * do: the agent does not know instance numbers), with a service on the promoted side, under the
 * whole-cluster simulation: the real state machine, scheduler and coordinator.
 */
class PromotableCloneSimulationTest {
  static final String VOLUME = """
      cluster: sim
      properties: {fencing-enabled: true}
      resource-defaults: {resource-stickiness: 100}
      nodes: [{name: a}, {name: b}, {name: c}]
      resources:
        - primitive: fence
          agent: stonith:fence_dummy
        - clone: vol-clone
          meta: {promotable: true, clone-max: 2, promoted-max: 1, notify: true}
          resource:
            primitive: vol
            agent: ocf:pacemaker:Stateful
            operations:
              - {name: monitor, interval: 10s, role: Promoted}
              - {name: monitor, interval: 11s, role: Unpromoted}
        - primitive: svc
          agent: ocf:heartbeat:Dummy
          operations: [{name: monitor, interval: 10s}]
      constraints:
        - {location: vol-not-on-c, resource: vol-clone, node: c, score: -INFINITY}
        - {colocation: svc-with-primary, resource: svc, with: vol-clone, with-role: Promoted, score: INFINITY}
        - {order: primary-then-svc, first: vol-clone, first-action: promote, then: svc, then-action: start}
      """;

  private static CoordinatorSimulation sim(String yaml, long seed) {
    CoordinatorSimulation sim = new CoordinatorSimulation(yaml, seed);
    sim.oneProcessPerNode = true;
    sim.clones.add("vol");
    // what the agent sets with crm_master when it starts or finds its data there: both sides may
    // be promoted (a node that rejoins loses its score with its history until then)
    for (String n : List.of("a", "b")) sim.agentScores.put(n + "/vol", "10");
    return sim;
  }

  @Test
  void comesUpWithOnePrimaryOneSecondaryAndTheServiceOnThePrimaryAndThenRests() {
    CoordinatorSimulation sim = sim(VOLUME, 1);
    sim.converge(80);
    assertThat(sim.where("vol")).containsExactlyInAnyOrder("a", "b");
    assertThat(sim.promoted.get("vol")).hasSize(1);
    assertThat(sim.where("svc")).isEqualTo(sim.promoted.get("vol"));
    assertThat(CoordinatorLogic.decide(sim.state, sim.config, true, sim.now, "a")).isInstanceOf(CoordinatorLogic.Wait.class);
  }

  @Test
  void withNotifyTrueEveryInstanceHearsOfTheStartsAndThePromotionWithPacemakersVariables() {
    CoordinatorSimulation sim = sim(VOLUME, 3);
    sim.step(); // the first plan: probes, starts, their notifications
    Plan plan = Plan.decode(sim.state.status().transition().payload());
    PlannedAction postStart = plan.actions().stream().filter(a -> a.id().startsWith("NOTIFY-post_notify_start:")).findFirst()
        .orElseThrow(() -> new AssertionError(plan.ids().toString()));
    java.util.Map<String, String> vars = plan.notifications().get(postStart.notification());
    assertThat(vars).containsEntry("notify_type", "post").containsEntry("notify_operation", "start")
        .containsEntry("notify_start_resource", "vol:0 vol:1").containsEntry("notify_active_resource", " ")
        .containsEntry("notify_all_uname", "a b c");
    assertThat(java.util.Set.of(vars.get("notify_start_uname").split(" "))).containsExactlyInAnyOrder("a", "b");
    // a post-notification waits for the starts it announces
    assertThat(postStart.after()).anyMatch(id -> id.startsWith("START:vol:"));
    sim.converge(120);
    // (the first plan may be replaced once its starts are recorded, as Pacemaker aborts a
    // transition on a new promotion score: its post-start notifications then go with it)
    assertThat(sim.notified).anyMatch(n -> n.contains("NOTIFY-pre_notify_promote:")).anyMatch(n -> n.contains("NOTIFY-post_notify_promote:"));
    assertThat(sim.state.status().operations().values()).noneMatch(r -> r.operation().equals("notify"));
  }

  @Test
  void theSecondaryIsPromotedOnlyAfterTheLostPrimaryIsFenced() {
    // without notifications (whose chain happens to order them too)
    CoordinatorSimulation sim = sim(VOLUME.replace(", notify: true", ""), 4);
    sim.converge(80);
    sim.withPlans = false; // this test looks at the plan the leader makes after the LOST mark
    String primary = sim.promoted.get("vol").iterator().next();
    sim.loseNode(primary);
    var d = CoordinatorLogic.decide(sim.state, sim.config, true, sim.now, "c");
    Plan plan = ((CoordinatorLogic.Replan) d).plan();
    PlannedAction promote = plan.actions().stream().filter(a -> a.kind().equals("PROMOTE")).findFirst()
        .orElseThrow(() -> new AssertionError(plan.ids().toString()));
    assertThat(promote.after()).as(plan.actions().toString()).anyMatch(id -> id.startsWith("FENCE:" + primary + ":"));
  }

  @Test
  void whenThePrimaryIsLostItIsFencedThenTheSecondaryIsPromotedAndTheServiceFollowsAndTheOldPrimaryComesBackAsSecondary() {
    CoordinatorSimulation sim = sim(VOLUME, 2);
    sim.converge(80);
    String primary = sim.promoted.get("vol").iterator().next();
    String secondary = primary.equals("a") ? "b" : "a";
    sim.loseNode(primary);
    sim.converge(80);
    assertThat(sim.log).anyMatch(l -> l.endsWith(" fenced " + primary));
    assertThat(sim.promoted.get("vol")).containsExactly(secondary);
    assertThat(sim.where("svc")).containsExactly(secondary);
    sim.rejoin(primary);
    sim.converge(80);
    assertThat(sim.where("vol")).containsExactlyInAnyOrder("a", "b");
    assertThat(sim.promoted.get("vol")).containsExactly(secondary);
    assertThat(sim.where("svc")).containsExactly(secondary);
  }

  /**
   * Faults in the middle of transitions (partitions, late or lost results, daemon restarts, a
   * failing service), with fencing and notifications on and off: never two primaries, the
   * service never on two nodes, and once healed one primary with the service on it.
   */
  @Property(tries = 40)
  void faultsNeverMakeTwoPrimariesAndHealedClustersConverge(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    boolean fencing = rnd.nextBoolean();
    String yaml = fencing ? VOLUME : VOLUME.replace("fencing-enabled: true", "fencing-enabled: false");
    CoordinatorSimulation sim = sim(rnd.nextBoolean() ? yaml : yaml.replace(", notify: true", ""), seed);
    sim.converge(80);
    sim.promptReports = 0.6;
    List<String> nodes = List.of("a", "b", "c");
    for (int fault = 0; fault < 6; fault++) {
      Set<String> primary = sim.promoted.getOrDefault("vol", Set.of());
      String where = primary.isEmpty() ? nodes.get(rnd.nextInt(2)) : primary.iterator().next();
      String any = nodes.get(rnd.nextInt(3));
      switch (rnd.nextInt(5)) {
        case 0 -> sim.killResource("svc", where);
        case 1 -> sim.restartDaemon(any);
        case 2, 3 -> {
          if (sim.outSince.isEmpty() && sim.connected().size() == 3) sim.cutOff(rnd.nextBoolean() ? where : any);
        }
        default -> sim.outSince.keySet().stream().findFirst().ifPresent(sim::rejoin);
      }
      int steps = 1 + rnd.nextInt(60);
      for (int i = 0; i < steps; i++) {
        sim.step();
        assertThat(sim.invariantViolations()).as("seed %d, %s", seed, String.join("\n", sim.log)).isEmpty();
      }
    }
    List.copyOf(sim.outSince.keySet()).forEach(sim::rejoin);
    for (String n : nodes) if (!sim.connected().contains(n)) sim.rejoin(n);
    sim.promptReports = 1.0;
    sim.converge(300);
    sim.apply(new Command.ClearFailures("svc", "", "root", sim.millis()));
    sim.converge(300);
    assertThat(sim.promoted.get("vol")).as("seed %d\n%s", seed, String.join("\n", sim.log)).hasSize(1);
    assertThat(sim.where("svc")).as("seed %d", seed).isEqualTo(sim.promoted.get("vol"));
  }
}
