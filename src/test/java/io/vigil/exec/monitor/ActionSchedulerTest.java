package io.vigil.exec.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.model.AgentRef;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import io.vigil.exec.Invocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The threaded driver over a runner that blocks until the test releases it (no real agents). */
class ActionSchedulerTest {
  private final AgentRef dummy = AgentRef.parse("ocf:heartbeat:Dummy");
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<ExecResult> results = new CopyOnWriteArrayList<>();
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final List<String> started = new CopyOnWriteArrayList<>();

  private ExecResult blockingRun(Invocation inv) {
    int now = running.incrementAndGet();
    maxRunning.accumulateAndGet(now, Math::max);
    started.add(inv.resourceId() + ":" + inv.action());
    try {
      CountDownLatch gate = gates.get(inv.resourceId() + ":" + inv.action());
      if (gate != null) {
        gate.await(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      running.decrementAndGet();
    }
    return new ExecResult(inv, 0, ExecStatus.DONE, Instant.EPOCH, Duration.ZERO, "", false, "");
  }

  private final ActionScheduler scheduler = new ActionScheduler(this::blockingRun, workers, timer, System::nanoTime, results::add);

  @AfterEach
  void shutdown() {
    scheduler.close();
    gates.values().forEach(CountDownLatch::countDown);
    workers.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void stopDoesNotStartWhileAMonitorRuns() throws Exception {
    CountDownLatch monitorGate = new CountDownLatch(1);
    gates.put("web:monitor", monitorGate);
    scheduler.startRecurring(new Invocation(dummy, "web", "monitor", Map.of(), Map.of(), Duration.ofSeconds(5),
        Duration.ofMillis(50)), Duration.ZERO);
    await().atMost(Duration.ofSeconds(5)).until(() -> started.contains("web:monitor"));
    CompletableFuture<ExecResult> stop = scheduler.submit(Invocation.of(dummy, "web", "stop", Map.of(), Duration.ofSeconds(5)));
    assertThat(stop).isNotDone();
    assertThat(started).doesNotContain("web:stop");
    monitorGate.countDown();
    ExecResult stopped = stop.get(5, TimeUnit.SECONDS);
    assertThat(stopped.invocation().action()).isEqualTo("stop");
    assertThat(maxRunning.get()).isEqualTo(1);
    assertThat(results).filteredOn(r -> r.invocation().action().equals("monitor")).singleElement()
        .extracting(ExecResult::status).isEqualTo(ExecStatus.CANCELLED);
  }

  @Test
  void recurringMonitorReportsEveryRunToTheListener() {
    scheduler.startRecurring(new Invocation(dummy, "web", "monitor", Map.of(), Map.of(), Duration.ofSeconds(5),
        Duration.ofMillis(20)), Duration.ZERO);
    await().atMost(Duration.ofSeconds(5)).until(() -> results.size() >= 3);
    assertThat(results).allSatisfy(r -> assertThat(r.invocation().action()).isEqualTo("monitor"));
  }

  @Test
  void differentResourcesRunInParallel() {
    CountDownLatch gate = new CountDownLatch(1);
    gates.put("a:start", gate);
    gates.put("b:start", gate);
    scheduler.submit(Invocation.of(dummy, "a", "start", Map.of(), Duration.ofSeconds(5)));
    scheduler.submit(Invocation.of(dummy, "b", "start", Map.of(), Duration.ofSeconds(5)));
    await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 2);
    gate.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> results.size() == 2);
  }
}
