package io.vigil.fencing.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FakeClock;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.FenceResult;
import io.vigil.model.FencingLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Seeded random topologies and device behaviour; the executor's invariants hold for every seed. */
class TopologyExecutorPropertyTest {

  @Property(tries = 300)
  void levelsAreTriedInOrderAndSuccessMeansSomeLevelFullySucceeded(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int levelCount, @ForAll @IntRange(min = 5, max = 120) int timeoutSeconds)
      throws Exception {
    Random rnd = new Random(seed);
    FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    Map<String, ScriptedDevice> devs = new LinkedHashMap<>();
    List<FencingLevel> levels = new ArrayList<>();
    for (int l = 1; l <= levelCount; l++) {
      List<String> ids = new ArrayList<>();
      for (int d = 0; d < 1 + rnd.nextInt(3); d++) {
        String id = "d" + l + "_" + d;
        ScriptedDevice sd = new ScriptedDevice(id, Map.of("pcmk_host_list", "beta", "pcmk_retries", String.valueOf(rnd.nextInt(3)),
            "pcmk_action_timeout", (1 + rnd.nextInt(20)) + "s"), clock);
        for (int k = 0; k < 6; k++) {
          Duration took = Duration.ofMillis(100 + rnd.nextInt(30_000));
          sd.then(switch (rnd.nextInt(3)) {
            case 0 -> ScriptedDevice.ok(took);
            case 1 -> ScriptedDevice.fail(took);
            default -> ScriptedDevice.timeout(took);
          });
        }
        devs.put(id, sd);
        ids.add(id);
      }
      levels.add(new FencingLevel("beta", false, l, ids));
    }
    Map<String, DeviceSettings> settings = new LinkedHashMap<>();
    Map<String, FenceDevice> byId = new LinkedHashMap<>();
    devs.forEach((k, v) -> {
      settings.put(k, v.settings());
      byId.put(k, v);
    });
    TopologyExecutor ex = new TopologyExecutor(new Topology(levels, settings), byId, clock, d -> clock.advance(d),
        new SplittableRandom(seed), Duration.ofSeconds(60), l -> { });
    Instant start = clock.instant();
    FenceOperation op = ex.fence(new FenceRequest("beta", FenceAction.OFF, FenceRequest.Kind.AUTOMATIC, "sim", "",
        Optional.of(Duration.ofSeconds(timeoutSeconds))));

    assertThat(Duration.between(start, clock.instant())).isLessThanOrEqualTo(Duration.ofSeconds(timeoutSeconds));
    List<Integer> order = op.attempts().stream().map(FenceAttempt::level).toList();
    assertThat(order).isSorted();
    if (op.succeeded()) {
      int winner = op.level().orElseThrow();
      assertThat(order).allMatch(l -> l <= winner);
      for (String id : levels.get(winner - 1).devices()) {
        List<FenceAttempt> mine = op.attempts().stream().filter(a -> a.device().equals(id)).toList();
        assertThat(mine).isNotEmpty();
        assertThat(mine.getLast().outcome()).isEqualTo(FenceResult.Outcome.SUCCESS);
      }
    } else {
      assertThat(op.level()).isEmpty();
    }
    for (FenceAttempt a : op.attempts()) {
      long attemptsOfDevice = op.attempts().stream().filter(b -> b.device().equals(a.device())).count();
      assertThat(attemptsOfDevice).isLessThanOrEqualTo(1 + devs.get(a.device()).settings().retriesFor(FenceAction.OFF));
    }
  }
}
