package io.vigil.fencing.topology;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FakeClock;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** In-memory device for the executor's unit tests: answers from a queue, advances the fake clock by each duration. */
final class ScriptedDevice implements FenceDevice {
  private final String id;
  private final DeviceSettings settings;
  private final FakeClock clock;
  private final Deque<FenceResult> answers = new ArrayDeque<>();
  final List<String> calls = new ArrayList<>();
  final List<Duration> timeouts = new ArrayList<>();
  FenceResult fallback;

  ScriptedDevice(String id, Map<String, String> params, FakeClock clock) {
    this.id = id;
    this.settings = DeviceSettings.parse(id, params);
    this.clock = clock;
    this.fallback = ok(Duration.ofSeconds(1));
  }

  ScriptedDevice then(FenceResult r) {
    answers.add(r);
    return this;
  }

  static FenceResult ok(Duration d) {
    return FenceResult.success("ok", d);
  }

  static FenceResult fail(Duration d) {
    return new FenceResult(FenceResult.Outcome.FAILED, Optional.empty(), OptionalInt.of(1), "unreachable", "", d);
  }

  static FenceResult timeout(Duration d) {
    return new FenceResult(FenceResult.Outcome.TIMEOUT, Optional.empty(), OptionalInt.empty(), "timed out", "", d);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public DeviceSettings settings() {
    return settings;
  }

  @Override
  public FenceResult run(FenceAction action, String node, Duration timeout) {
    calls.add(action + " " + node);
    timeouts.add(timeout);
    FenceResult r = answers.isEmpty() ? fallback : answers.poll();
    Duration took = r.duration().compareTo(timeout) > 0 ? timeout : r.duration();
    clock.advance(took);
    if (r.duration().compareTo(timeout) > 0) return timeout(timeout);
    return r;
  }
}
