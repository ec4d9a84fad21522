package io.vigil.fencing.topology;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.Sleeper;
import io.vigil.fencing.device.AgentProtocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Runs one fencing operation through a node's topology: levels in order, every device of a level must
 * succeed (with its delay, timeout and retries), the first successful level ends the operation, and the
 * whole operation stays within the request's timeout. Every device action becomes a {@link FenceAttempt}.
 *
 * <p>A reboot on a level with several devices (dual power supplies) is done as off on all, then on on all;
 * the node counts as fenced once every off succeeded, as in Pacemaker.
 */
public final class TopologyExecutor {
  private final Topology topology;
  private final Map<String, FenceDevice> devices;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final Duration defaultTimeout;
  private final Consumer<String> log;

  public TopologyExecutor(Topology topology, Map<String, FenceDevice> devices, Clock clock, Sleeper sleeper,
      RandomGenerator random, Duration defaultTimeout, Consumer<String> log) {
    this.topology = topology;
    this.devices = Map.copyOf(devices);
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    this.defaultTimeout = defaultTimeout;
    this.log = log;
  }

  /** Runs {@code req} to the end; never throws for a device failure (the operation records it). */
  public FenceOperation fence(FenceRequest req) throws InterruptedException {
    Instant started = clock.instant();
    Instant deadline = started.plus(req.timeout().orElse(defaultTimeout));
    List<FenceAttempt> attempts = new ArrayList<>();
    List<Level> plan = topology.plan(req.target());
    log.accept("fencing " + req.target() + " (" + req.action() + ") requested by " + req.requester()
        + (req.reason().isEmpty() ? "" : ": " + req.reason()) + "; " + plan.size() + " level(s)");
    if (plan.isEmpty()) {
      return finish(req, started, attempts, Optional.empty(), "no device can fence '" + req.target() + "'");
    }
    String lastFailure = "";
    for (Level level : plan) {
      Optional<String> failure = runLevel(req, level, deadline, attempts);
      if (failure.isEmpty()) {
        return finish(req, started, attempts, Optional.of(level.index()),
            req.action() + " of '" + req.target() + "' succeeded at level " + level.index() + " (" + String.join(", ", level.devices()) + ")");
      }
      lastFailure = "level " + level.index() + ": " + failure.get();
      log.accept("fencing " + req.target() + ": " + lastFailure);
      if (!clock.instant().isBefore(deadline)) {
        return finish(req, started, attempts, Optional.empty(), "fencing timeout exceeded; last " + lastFailure);
      }
    }
    return finish(req, started, attempts, Optional.empty(), "every level failed; last " + lastFailure);
  }

  /** Empty when every device of the level succeeded, else why it failed. */
  private Optional<String> runLevel(FenceRequest req, Level level, Instant deadline, List<FenceAttempt> attempts)
      throws InterruptedException {
    List<FenceDevice> members = new ArrayList<>();
    for (String id : level.devices()) {
      FenceDevice d = devices.get(id);
      if (d == null) return Optional.of("device '" + id + "' is not available");
      Optional<String> unable = checkTarget(req, level, d, deadline, attempts);
      if (unable.isPresent()) return unable;
      members.add(d);
    }
    boolean split = req.action() == FenceAction.REBOOT && members.size() > 1;
    FenceAction first = split ? FenceAction.OFF : req.action();
    for (FenceDevice d : members) {
      Optional<String> f = runWithRetries(req, level, d, first, deadline, attempts, true);
      if (f.isPresent()) return f;
    }
    if (split) {
      for (FenceDevice d : members) {
        Optional<String> f = runWithRetries(req, level, d, FenceAction.ON, deadline, attempts, false);
        f.ifPresent(why -> log.accept("fencing " + req.target() + ": node is off but power-on failed: " + why));
      }
    }
    return Optional.empty();
  }

  private Optional<String> checkTarget(FenceRequest req, Level level, FenceDevice d, Instant deadline,
      List<FenceAttempt> attempts) throws InterruptedException {
    DeviceSettings s = d.settings();
    Optional<Boolean> known = s.staticallyFences(req.target());
    if (known.isPresent()) {
      return known.get() ? Optional.empty()
          : Optional.of("device '" + d.id() + "' cannot fence '" + req.target() + "' (not in its host list or map)");
    }
    Duration t = cap(s.timeoutFor(FenceAction.LIST, defaultTimeout), deadline);
    if (t.isZero()) return Optional.of("fencing timeout exceeded before asking '" + d.id() + "' for its list");
    FenceResult r = d.run(FenceAction.LIST, null, t);
    attempts.add(attempt(req, level, d, FenceAction.LIST, r));
    if (!r.succeeded()) return Optional.of("device '" + d.id() + "' list failed: " + r.summary());
    if (!s.listedIn(req.target(), AgentProtocol.parseList(r.output()))) {
      return Optional.of("device '" + d.id() + "' does not list '" + req.target() + "'");
    }
    return Optional.empty();
  }

  private Optional<String> runWithRetries(FenceRequest req, Level level, FenceDevice d, FenceAction action,
      Instant deadline, List<FenceAttempt> attempts, boolean delay) throws InterruptedException {
    DeviceSettings s = d.settings();
    if (delay && action != FenceAction.ON) {
      Duration wait = s.delayFor(req.target(), random);
      if (!wait.isZero()) {
        log.accept("fencing " + req.target() + ": waiting " + wait.toMillis() + " ms before using '" + d.id() + "' (pcmk_delay)");
        sleeper.sleep(wait);
      }
    }
    int tries = 1 + s.retriesFor(action);
    String why = "";
    for (int i = 0; i < tries; i++) {
      Duration t = cap(s.timeoutFor(action, defaultTimeout), deadline);
      if (t.isZero()) return Optional.of("fencing timeout exceeded" + (why.isEmpty() ? "" : "; last: " + why));
      FenceResult r = d.run(action, req.target(), t);
      attempts.add(attempt(req, level, d, action, r));
      if (r.succeeded()) return Optional.empty();
      why = "device '" + d.id() + "' " + action + ": " + r.summary();
    }
    return Optional.of(why);
  }

  private Duration cap(Duration t, Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) return Duration.ZERO;
    return t.compareTo(left) < 0 ? t : left;
  }

  private FenceAttempt attempt(FenceRequest req, Level level, FenceDevice d, FenceAction action, FenceResult r) {
    return new FenceAttempt(clock.instant().minus(r.duration()), req.requester(), req.reason(), req.target(),
        level.index(), d.id(), action, r.outcome(), r.summary(), r.duration());
  }

  private FenceOperation finish(FenceRequest req, Instant started, List<FenceAttempt> attempts, Optional<Integer> level,
      String summary) {
    Instant now = clock.instant();
    log.accept("fencing " + req.target() + ": " + (level.isPresent() ? "done: " : "FAILED: ") + summary);
    return new FenceOperation(req.target() + "@" + started.toEpochMilli(), req.target(), req.action(), req.kind(),
        req.requester(), req.reason(), started, now, level.isPresent(), level, summary, attempts);
  }
}
