package io.vigil.cluster.coordinator;

import io.vigil.cluster.raft.RaftAccess;
import io.vigil.cluster.raft.StateListener;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.OpResult;
import io.vigil.cluster.state.Result;
import io.vigil.cluster.state.Transition.ActionProgress;
import io.vigil.cluster.state.Transition.ActionProgress.Phase;
import io.vigil.exec.AgentRunner;
import io.vigil.exec.ExecResult;
import io.vigil.exec.Invocation;
import io.vigil.model.ClusterConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives {@link CoordinatorLogic} and {@link NodeWork} on a daemon: after every applied change
 * (debounced on one thread) the leader replans if needed, and this node starts its ready actions
 * on worker threads, reporting RUNNING, the operation result, then DONE or FAILED. Recurring
 * monitors keep running here and report only changes of their result.
 */
public final class CoordinatorService implements StateListener, io.vigil.cluster.liveness.LivenessListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorService.class);
  /**
   * How long a tick waits for more applied entries to coalesce with (each step of a failover pays it
   * once: 5 ms cost a fast failover 15 ms; Ratis applies a burst within well under a millisecond).
   */
  private static final long TICK_COALESCE_MS = 1;

  private final RaftAccess raft;
  private final String node;
  private final AgentRunner agents;
  private final Fencer fencer;
  private final Clock clock;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("vigil-coordinator").unstarted(r));
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  /**
   * Quorum loss and return, one after the other: the results of a stop pass are recorded only
   * after the pass ended, even when quorum came back while an agent was still stopping.
   */
  private final ScheduledExecutorService quorumWork =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("vigil-quorum").unstarted(r));
  /**
   * How long a loss of quorum must last before this node stops anything (at most a quarter of the
   * time left before it must have stopped). A late answer or a short CPU starvation, which fast
   * settings (node-timeout 100 ms) turn into a loss of quorum of a few tens of milliseconds, then
   * stops nothing; the lease, seconds long, is what keeps the survivors safe.
   */
  static final long QUORUM_LOSS_CONFIRM_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** Counts losses and returns of quorum: a confirmation is for the loss that scheduled it only. */
  private final AtomicLong quorumChanges = new AtomicLong();
  private volatile ScheduledFuture<?> confirming;
  private volatile long quorumLossConfirmNanos = QUORUM_LOSS_CONFIRM_NANOS;
  /**
   * This daemon's incarnation, fresh per process and announced in the state
   * ({@link io.vigil.cluster.state.NodeStatus#INCARNATION}). A claim of this node's is run as it stands
   * only if it carries this incarnation; one made for an earlier daemon (found in a log read after a
   * restart, which may lag) is claimed again through the log, which refuses it if the plan went on
   * without this node meanwhile.
   */
  private final String incarnation;
  private final AtomicBoolean announcing = new AtomicBoolean();
  private final AtomicBoolean tickQueued = new AtomicBoolean();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  /** Per plan, the actions this daemon finished as planned (their results may not be committed yet): see {@link NodeWork#ready}. */
  private final Map<String, Set<String>> doneHere = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> monitors = new ConcurrentHashMap<>();
  private final AtomicLong callIds;
  private final LocalActive local = new LocalActive();
  private final java.util.List<Command> unrecorded = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean quorate = true;
  private final EpochConfig configs = new EpochConfig();

  public CoordinatorService(RaftAccess raft, String node, AgentRunner agents, Fencer fencer, Clock clock) {
    this(raft, node, agents, fencer, clock, Long.toHexString(new java.security.SecureRandom().nextLong() | 1L));
  }

  /** With a given incarnation (tests: the daemon a state's claims were made for). */
  CoordinatorService(RaftAccess raft, String node, AgentRunner agents, Fencer fencer, Clock clock, String incarnation) {
    this.incarnation = incarnation;
    this.raft = raft;
    this.node = node;
    this.agents = new FenceDeviceRunner(agents, clock);
    this.fencer = fencer;
    this.clock = clock;
    this.callIds = new AtomicLong(clock.millis() * 1000);
  }

  /** Starts a periodic safety tick (state changes also trigger one). */
  public void start() {
    loop.scheduleWithFixedDelay(this::requestTick, 200, 1000, TimeUnit.MILLISECONDS);
  }

  @Override
  public void applied(long index, Command command, Result result, ClusterState state) {
    requestTick();
  }

  private void requestTick() {
    // A short coalescing delay: a burst of applied entries (a batch, a plan's results) costs one tick.
    if (tickQueued.compareAndSet(false, true)) loop.schedule(this::tick, TICK_COALESCE_MS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    tickQueued.set(false);
    if (!quorate) return; // nothing can be claimed or recorded; resources were stopped (see quorumLost)
    try {
      ClusterState state = raft.localState();
      announceIncarnation(state);
      Optional<ClusterConfig> config = configs.of(state);
      if (config.isEmpty()) return;
      boolean leader = raft.info().isLeader();
      if (leader) {
        var d = CoordinatorLogic.decide(state, config.get(), true, clock.instant(), node);
        if (d instanceof CoordinatorLogic.Replan r) {
          Result res = raft.submit(r.command()).get(5, TimeUnit.SECONDS);
          LOG.info("plan {}: {} action(s){}{}", r.command().transition().id(), r.plan().actions().size(),
              res.accepted() ? "" : " refused: " + res.message(),
              r.unsupported().isEmpty() ? "" : " unsupported: " + r.unsupported());
          return;
        }
      }
      String tid = state.status().transition() == null ? "" : state.status().transition().id();
      doneHere.keySet().removeIf(k -> !k.equals(tid));
      Set<String> finished = doneHere.getOrDefault(tid, Set.of());
      for (PlannedAction a : NodeWork.ready(state, node, leader, clock.instant(), config.get().properties(), incarnation, finished)) {
        boolean claimed = NodeWork.claimedFor(state, node, incarnation, a.id());
        if (inFlight.add(tid + "/" + a.id())) workers.submit(() -> run(tid, a, config.get(), claimed));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("coordinator tick failed: {}", e.toString());
    }
  }

  /**
   * Records a node's LOST mark (this node leads) together with the plan the leader makes from it —
   * fencing it, recovering what it ran — in one log entry, so the fencing starts one commit sooner.
   * Runs on the coordinator's thread, as its plans do; without quorum, a configuration or a new
   * plan the mark goes alone (the next tick plans as usual). The plan is recorded only if the mark is.
   */
  public java.util.concurrent.CompletableFuture<Result> recordLost(Command.SetNodeState lost) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> withPlan(lost), loop).thenCompose(raft::submit);
  }

  private Command withPlan(Command.SetNodeState lost) {
    try {
      ClusterState state = raft.localState();
      Optional<ClusterConfig> config = configs.of(state);
      if (!quorate || config.isEmpty()) return lost;
      Command c = CoordinatorLogic.withLostMark(state, config.get(), lost, clock.instant(), node);
      if (c instanceof Command.Batch) LOG.info("{} lost: recorded with the plan it leads to", lost.node());
      return c;
    } catch (RuntimeException e) {
      LOG.warn("no plan with the LOST mark of {}: {}", lost.node(), e.toString());
      return lost;
    }
  }

  /** Runs one action; {@code claimed}: the committed state already shows this node's RUNNING claim. */
  private void run(String tid, PlannedAction a, ClusterConfig config, boolean claimed) {
    try {
      // The claim: only an accepted RUNNING report lets this node act (the plan may have been replaced
      // meanwhile, or the action claimed already); the state machine decides, atomically.
      if (!claimed && !claim(tid, a)) {
        inFlight.remove(tid + "/" + a.id()); // retried at the next tick if the plan still wants it
        return;
      }
      if (a.kind().equals("FENCE")) {
        long started = clock.millis();
        String failure = fencer.fence(a.resource(), "lost by the cluster");
        Command done = new Command.ReportProgress(tid, progress(a, failure == null ? Phase.DONE : Phase.FAILED, failure == null ? 0 : 1),
            node, clock.millis());
        // The fencing record and the action's end in one round trip: recovery waits on both. A failure
        // is recorded too: it is in the history, and it makes the next attempt wait (FenceBackoff).
        Command record = new Command.RecordFencing(a.resource(), "topology", "reboot", failure == null,
            clock.millis() - started, failure == null ? "automatic" : "automatic: " + failure + givingUp(config, a.resource()),
            node, clock.millis());
        java.util.List<Command> report = new java.util.ArrayList<>(java.util.List.of(record, done));
        // The recovery that waited for this fencing is claimed with its result, for the nodes that run it.
        if (failure == null) report.addAll(claimsAfter(tid, a));
        submit(new Command.Batch(report, node, clock.millis()));
        return;
      }
      // A stop ends the instance's monitors; a role change ends the old role's (the new role's
      // monitors are the plan's next steps, after the promotion or demotion), as Pacemaker cancels them.
      if (ENDS_MONITORS.contains(a.kind())) cancelMonitors(monitorId(config, a.resource()));
      if (a.kind().equals("CANCEL")) {
        submit(new Command.ReportProgress(tid, progress(a, Phase.DONE, 0), node, clock.millis()));
        return;
      }
      if (a.kind().equals("NOTIFY")) {
        notify(tid, a, config);
        return;
      }
      Invocation inv = ActionInvocations.of(config, a);
      local.note(a.kind(), a.resource(), inv, null);
      LOG.debug("{} of {}: running", a.id(), tid);
      ExecResult r = agents.run(inv);
      LOG.debug("{} of {}: rc {} after {} ms", a.id(), tid, r.rc(), r.duration().toMillis());
      local.note(a.kind(), a.resource(), inv, r.rc());
      boolean ok = ActionInvocations.succeeded(config, a, r.rc());
      boolean asPlanned = ActionInvocations.asPlanned(config, a, r.rc());
      // The result, the action's end and the claims of this node's actions that wait only for it,
      // in one round trip: the next step of a group starts without another commit.
      finish(tid, a, asPlanned, r.rc(), operation(a.resource(), inv, r, ok));
      if (ok && a.kind().equals("MONITOR") && a.intervalMs() > 0) {
        scheduleMonitor(monitorId(config, a.resource()), inv, r.rc()); // ok: rc is what the role expects
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("action {} failed to run: {}", a.id(), e.toString());
      java.util.List<Command> report = new java.util.ArrayList<>(java.util.List.of(
          new Command.ReportProgress(tid, progress(a, Phase.FAILED, 1), node, clock.millis())));
      report.addAll(cancelledAfter(tid, a));
      submit(new Command.Batch(report, node, clock.millis()));
    } finally {
      requestTick();
    }
  }

  /** What a failed automatic fencing adds to its record when it is the last one fencing-max-attempts allows. */
  private String givingUp(ClusterConfig config, String target) {
    var ns = raft.localState().status().nodes().get(target);
    int max = config.properties().getOrDefault(io.vigil.model.ClusterProperties.FENCING_MAX_ATTEMPTS);
    if (ns == null || ns.fenceFailures() + 1 < max) return "";
    LOG.warn("fencing of {} failed {} time(s): giving up (fencing-max-attempts {}); its resources stay blocked until an operator "
        + "fences it or confirms it is down", target, ns.fenceFailures() + 1, max);
    return " (giving up after " + (ns.fenceFailures() + 1) + " attempts: fencing-max-attempts " + max + ")";
  }

  /**
   * Reports an action's end (after its operation's result, if any) together with the claims of
   * this node's actions that waited only for it, in one round trip: the next step of a group
   * starts without another commit.
   */
  private void finish(String tid, PlannedAction a, boolean asPlanned, int rc, Command result) {
    java.util.List<Command> report = new java.util.ArrayList<>();
    if (result != null) report.add(result);
    report.add(new Command.ReportProgress(tid, progress(a, asPlanned ? Phase.DONE : Phase.FAILED, rc), node, clock.millis()));
    if (asPlanned) {
      report.addAll(claimsAfter(tid, a));
      // Its successors claimed for this daemon may start now, before this report commits: a tick
      // now, not after the commit (NodeWork.ready with doneHere).
      doneHere.computeIfAbsent(tid, k -> ConcurrentHashMap.newKeySet()).add(a.id());
      requestTick();
    } else {
      report.addAll(cancelledAfter(tid, a));
    }
    submit(new Command.Batch(report, node, clock.millis()));
  }

  /**
   * The cancellations of this daemon's claims that waited for {@code failed} (made with an earlier
   * step's end or the plan: {@link NodeWork#withSameNodeSuccessors}): they will not run under this plan.
   */
  private java.util.List<Command> cancelledAfter(String tid, PlannedAction failed) {
    return progressUnder(tid, now -> NodeWork.claimedAfter(now, failed.id(), node, incarnation).stream()
        .map(id -> new ActionProgress(id, Phase.CANCELLED, 0, clock.millis(), node)).toList());
  }

  /**
   * Claims, for the nodes that run them, of the current plan's actions that the end of {@code done}
   * makes ready ({@link NodeWork#claimsAfter}).
   */
  private java.util.List<Command> claimsAfter(String tid, PlannedAction done) {
    return progressUnder(tid, now -> NodeWork.claimsAfter(now, done.id(), node, incarnation, clock.millis()));
  }

  /** Reports of the progress {@code of} the local state, under plan {@code tid}; none when that plan was replaced meanwhile. */
  private java.util.List<Command> progressUnder(String tid, java.util.function.Function<ClusterState, java.util.List<ActionProgress>> of) {
    ClusterState now = raft.localState();
    if (now.status().transition() == null || !now.status().transition().id().equals(tid)) return java.util.List.of();
    return of.apply(now).stream().<Command>map(p -> new Command.ReportProgress(tid, p, node, clock.millis())).toList();
  }

  /**
   * Records this daemon's incarnation once the state knows the node (the leader marks it online),
   * so that claims made for it by others carry it; once per value, retried at a later tick if it failed.
   */
  private void announceIncarnation(ClusterState state) {
    var ns = state.status().nodes().get(node);
    if (ns == null || ns.incarnation().equals(incarnation) || !announcing.compareAndSet(false, true)) return;
    raft.submit(new Command.SetNodeAttribute(node, io.vigil.cluster.state.NodeStatus.INCARNATION, incarnation, "node:" + node, clock.millis()))
        .whenComplete((r, e) -> {
          announcing.set(false);
          if (e != null || !r.accepted()) LOG.debug("incarnation not recorded yet: {}", e != null ? e.toString() : r.message());
        });
  }

  /**
   * A clone notification: the agent hears, with Pacemaker's {@code notify_*} variables, of an
   * operation of its clone. Its rc is logged, never the resource's result (Pacemaker ignores a
   * failed notification too), and nothing is recorded in the operation history.
   */
  private void notify(String tid, PlannedAction a, ClusterConfig config) throws Exception {
    var t = raft.localState().status().transition();
    java.util.Map<String, String> vars = t != null && t.id().equals(tid)
        ? Plan.decode(t.payload()).notifications().getOrDefault(a.notification(), java.util.Map.of()) : java.util.Map.of();
    ExecResult r = agents.run(ActionInvocations.of(config, a, vars));
    if (r.rc() != 0) LOG.warn("notification {} returned rc {} (ignored, as Pacemaker does)", a.id(), r.rc());
    finish(tid, a, true, r.rc(), null);
  }

  /** A monitor's change of result; without quorum it waits, with the stop pass's results, for quorum. */
  private void record(String instance, Invocation inv, ExecResult r, boolean ok) {
    Command c = operation(instance, inv, r, ok);
    if (quorate) submit(c);
    else unrecorded.add(c);
  }

  private Command operation(String instance, Invocation inv, ExecResult r, boolean ok) {
    String output = r.output() == null ? "" : r.output();
    return new Command.RecordOperation(new OpResult(instance, node, inv.action(), inv.interval().toMillis(), r.rc(),
        callIds.incrementAndGet(), clock.millis(), Math.max(0, r.duration().toMillis()), !ok, output), node, clock.millis());
  }

  private static final Set<String> ENDS_MONITORS = Set.of("STOP", "CANCEL", "PROMOTE", "DEMOTE");

  /**
   * Which monitors an action of {@code instance} concerns: an anonymous clone's instances on one
   * node are one process whose instance number may differ from plan to plan, so they go by the
   * primitive's id; anything else by its own id.
   */
  private static String monitorId(ClusterConfig config, String instance) {
    String base = StatusView.baseId(instance);
    return StatusView.anonymousClonePrimitives(config).contains(base) ? base : instance;
  }

  /**
   * Runs the monitor every interval; a change of result is recorded (a failure makes the leader
   * replan). A run that was under way when the monitor was cancelled (a stop or role change came
   * meanwhile) records nothing: its result is about what the cluster just changed.
   */
  private void scheduleMonitor(String monitorId, Invocation inv, int firstRc) {
    String key = monitorId + "/" + inv.interval().toMillis();
    AtomicLong lastRc = new AtomicLong(firstRc);
    var self = new java.util.concurrent.atomic.AtomicReference<ScheduledFuture<?>>();
    ScheduledFuture<?> f = loop.scheduleWithFixedDelay(() -> workers.submit(() -> {
      ExecResult r = agents.run(inv);
      local.note("MONITOR", inv.resourceId(), inv, r.rc());
      ScheduledFuture<?> me = self.get();
      if (me != null && me.isCancelled()) return;
      if (r.rc() != lastRc.getAndSet(r.rc())) {
        boolean ok = r.rc() == firstRc; // the monitor started with the result its role expects
        record(inv.resourceId(), inv, r, ok);
        requestTick();
      }
    }), inv.interval().toMillis(), inv.interval().toMillis(), TimeUnit.MILLISECONDS);
    self.set(f);
    ScheduledFuture<?> old = monitors.put(key, f);
    if (old != null) old.cancel(false);
  }

  private void cancelMonitors(String monitorId) {
    monitors.entrySet().removeIf(e -> {
      if (!e.getKey().startsWith(monitorId + "/")) return false;
      e.getValue().cancel(false);
      return true;
    });
  }

  private ActionProgress progress(PlannedAction a, Phase phase, int rc) {
    return new ActionProgress(a.id(), phase, rc, clock.millis(), node, phase == Phase.RUNNING ? incarnation : "");
  }

  private boolean claim(String tid, PlannedAction a) {
    try {
      Result r = raft.submit(new Command.ReportProgress(tid, progress(a, Phase.RUNNING, 0), node, clock.millis())).get(10, TimeUnit.SECONDS);
      if (!r.accepted()) LOG.info("not running {} of {}: {}", a.id(), tid, r.message());
      return r.accepted();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      LOG.warn("cannot claim {} of {}: {}", a.id(), tid, e.toString());
      return false;
    }
  }

  /** Submits {@code c}; false when it could not be delivered (a refusal by the state machine was delivered). */
  private boolean submit(Command c) {
    try {
      Result r = raft.submit(c).get(10, TimeUnit.SECONDS);
      if (!r.accepted()) LOG.debug("{} refused: {}", c.getClass().getSimpleName(), r.message());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      LOG.warn("cannot record {}: {}", c.getClass().getSimpleName(), e.toString());
      return false;
    }
  }

  /**
   * No quorum: this node may be declared lost and its resources recovered elsewhere once its
   * lease has run out, so it stops (or, with no-quorum-policy=demote, demotes) everything it may
   * run, newest first, on its own — without the cluster, which it cannot reach.
   */
  @Override
  public void quorumLost(long mustStopByNanos, long ownExpiryNanos) {
    quorate = false;
    long change = quorumChanges.incrementAndGet();
    long wait = Math.max(0, Math.min(quorumLossConfirmNanos, (mustStopByNanos - System.nanoTime()) / 4));
    confirming = quorumWork.schedule(() -> {
      if (quorumChanges.get() == change) stopWithoutQuorum(mustStopByNanos); // no return of quorum since
    }, wait, TimeUnit.NANOSECONDS);
  }

  @Override
  public void quorumGained() {
    quorate = true;
    quorumChanges.incrementAndGet();
    quorumWork.submit(this::recordUnrecorded);
  }

  /**
   * Records what was stopped alone, so the cluster knows it stopped and plans its start again; runs
   * on the quorum thread, after the stop pass, so no result of it is left behind. A result that could
   * not be delivered (the Raft group is switching, e.g. in a two-node takeover) is kept, in order, and
   * tried again a second later while there is quorum; one the state machine refused is not.
   */
  private void recordUnrecorded() {
    var results = new java.util.ArrayList<>(unrecorded);
    unrecorded.removeAll(results);
    java.util.List<Command> undelivered = new java.util.ArrayList<>();
    for (Command c : results) {
      if (!undelivered.isEmpty() || !submit(c)) undelivered.add(c);
    }
    if (!undelivered.isEmpty()) {
      unrecorded.addAll(0, undelivered);
      LOG.info("{} result(s) of the stop pass not recorded yet: retrying", undelivered.size());
      loop.schedule(() -> {
        if (quorate) quorumWork.submit(this::recordUnrecorded);
      }, 1, TimeUnit.SECONDS);
    }
    requestTick();
  }

  private void stopWithoutQuorum(long mustStopByNanos) {
    // the configuration last read: the replicated state cannot be waited on now
    ClusterConfig config = configs.last().orElse(null);
    String leaveAlone = SelfStopSuspension.why(raft.localState(), configs.last(), node);
    if (leaveAlone != null) {
      LOG.warn("quorum lost: this node's resources keep running: {}", leaveAlone);
      return;
    }
    String policy = config == null ? "stop" : config.properties().getOrDefault(io.vigil.model.ClusterProperties.NO_QUORUM_POLICY);
    if (policy.equals("freeze") || policy.equals("ignore")) {
      LOG.warn("quorum lost: no-quorum-policy={} keeps this node's resources running", policy);
      return;
    }
    // Each instance's monitors end just before it is stopped or demoted (they would report the stop
    // as a failure); an instance left running because quorum came back keeps its monitors.
    unrecorded.addAll(new StopWithoutQuorum(local, agents, node, clock, callIds::incrementAndGet, () -> quorate)
        .run(config, policy.equals("demote"), mustStopByNanos, id -> cancelMonitors(config == null ? id : monitorId(config, id))));
  }

  /** Sets how long a loss of quorum must last before anything is stopped; for tests. */
  void confirmQuorumLossAfter(java.time.Duration d) {
    quorumLossConfirmNanos = d.toNanos();
  }

  /** Waits until the quorum work queued so far (a confirmed stop pass, a recording) has run; for tests. */
  void drainQuorumWork() throws Exception {
    ScheduledFuture<?> c = confirming;
    if (c != null) c.get(30, TimeUnit.SECONDS);
    quorumWork.submit(() -> { }).get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    monitors.values().forEach(f -> f.cancel(false));
    loop.shutdownNow();
    workers.shutdownNow();
    quorumWork.shutdownNow();
  }
}
