package io.vigil.exec.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AgentRef;
import io.vigil.exec.Invocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random operation sequences on one lane: the serialisation rules hold after every step. */
class ResourceLaneProperties {
  private static final AgentRef DUMMY = AgentRef.parse("ocf:heartbeat:Dummy");
  private static final String[] ONE_SHOT = {"start", "stop", "promote", "demote"};

  @Property(tries = 300)
  void neverTwoInFlightAndNoMonitorBetweenStopAndNewMonitor(
      @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 0, max = 9) Integer> ops) {
    ResourceLane lane = new ResourceLane("r");
    long now = 0;
    Optional<ResourceLane.Job> inFlight = Optional.empty();
    boolean stopSubmittedSinceLastMonitorAdd = false;
    for (int op : ops) {
      switch (op) {
        case 0, 1, 2, 3 -> {
          lane.submit(Invocation.of(DUMMY, "r", ONE_SHOT[op], Map.of(), Duration.ofSeconds(1)));
          if (op == 1) {
            stopSubmittedSinceLastMonitorAdd = true;
          }
        }
        case 4 -> {
          lane.addRecurring(new Invocation(DUMMY, "r", "monitor", Map.of(), Map.of(), Duration.ofSeconds(1),
              Duration.ofSeconds(1 + op % 3)), Duration.ZERO, now);
          stopSubmittedSinceLastMonitorAdd = false;
        }
        case 5, 6 -> now += 700_000_000L;
        default -> {
          if (inFlight.isPresent()) {
            lane.complete(inFlight.get().id(), now);
            inFlight = Optional.empty();
          } else {
            inFlight = lane.poll(now);
            if (inFlight.isPresent() && inFlight.get().recurring()) {
              assertThat(stopSubmittedSinceLastMonitorAdd).as("monitor started after a stop was submitted").isFalse();
            }
          }
        }
      }
      assertThat(lane.busy()).isEqualTo(inFlight.isPresent());
      if (inFlight.isPresent()) {
        assertThat(lane.poll(now)).as("a second action while one is in flight").isEmpty();
      }
    }
  }
}
