package io.vigil.exec.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.exec.AgentExecutor;
import io.vigil.model.AgentRef;
import io.vigil.exec.BuiltinRegistry;
import io.vigil.exec.ExecConfig;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import io.vigil.exec.Invocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler driving the real ocf:heartbeat:Dummy: recurring monitor, then a stop that ends it. */
@Tag("slow")
class RealMonitorTest {
  @TempDir Path tmp;
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void shutdown() {
    workers.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void monitorRunsAtItsIntervalAndStopsWithTheResource() throws Exception {
    AgentExecutor executor = AgentExecutor.system(ExecConfig.defaults(), new BuiltinRegistry());
    List<ExecResult> results = new CopyOnWriteArrayList<>();
    AgentRef dummy = AgentRef.parse("ocf:heartbeat:Dummy");
    String id = "vigil-mon-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> params = Map.of("state", tmp.resolve("state").toString());
    try (ActionScheduler s = new ActionScheduler(executor, workers, timer, System::nanoTime, results::add)) {
      assertThat(s.submit(Invocation.of(dummy, id, "start", params, Duration.ofSeconds(20))).get(20, TimeUnit.SECONDS).rc())
          .isZero();
      s.startRecurring(new Invocation(dummy, id, "monitor", params, Map.of(), Duration.ofSeconds(20),
          Duration.ofMillis(100)), Duration.ofMillis(50));
      await().atMost(Duration.ofSeconds(20)).until(() ->
          results.stream().filter(r -> r.invocation().action().equals("monitor")).count() >= 3);
      ExecResult stop = s.submit(Invocation.of(dummy, id, "stop", params, Duration.ofSeconds(20))).get(20, TimeUnit.SECONDS);
      assertThat(stop.rc()).isZero();
      assertThat(Files.exists(tmp.resolve("state"))).isFalse();
      int afterStop = results.size();
      // The monitor was cancelled by the stop: a further interval passes without any new result.
      await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> results.size() == afterStop);
      assertThat(results.stream().filter(r -> r.invocation().action().equals("monitor")))
          .allSatisfy(r -> assertThat(r.rc() == 0 || r.status() == ExecStatus.CANCELLED).isTrue());
      int stopIndex = results.indexOf(stop);
      assertThat(results.subList(stopIndex + 1, results.size())).isEmpty();
    }
  }
}
