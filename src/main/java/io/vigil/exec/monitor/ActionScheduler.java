package io.vigil.exec.monitor;

import io.vigil.exec.AgentRunner;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import io.vigil.exec.Invocation;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs actions through an {@link AgentRunner}, one at a time per resource (see {@link
 * ResourceLane} for the rules), different resources in parallel, and recurring monitors at
 * their interval. Every result goes to the listener; one-shot results also complete the
 * future returned by {@link #submit}.
 */
public final class ActionScheduler implements AutoCloseable {
  private final AgentRunner runner;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final LongSupplier nanos;
  private final ResultListener listener;
  private final Map<String, ResourceLane> lanes = new HashMap<>();
  private final Map<JobKey, CompletableFuture<ExecResult>> futures = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> wakeups = new HashMap<>();
  private boolean closed;

  public ActionScheduler(AgentRunner runner, ExecutorService workers, ScheduledExecutorService timer,
      LongSupplier nanos, ResultListener listener) {
    this.runner = runner;
    this.workers = workers;
    this.timer = timer;
    this.nanos = nanos;
    this.listener = listener;
  }

  /** Queues a one-shot action behind whatever its resource is doing. */
  public synchronized CompletableFuture<ExecResult> submit(Invocation inv) {
    CompletableFuture<ExecResult> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("scheduler closed: " + inv.action() + " of " + inv.resourceId() + " not run"));
      return f;
    }
    long id = lane(inv.resourceId()).submit(inv);
    futures.put(key(inv.resourceId(), id), f);
    pump(inv.resourceId());
    return f;
  }

  /** Starts a recurring action (interval from the invocation) after {@code startDelay}. */
  public synchronized void startRecurring(Invocation inv, Duration startDelay) {
    lane(inv.resourceId()).addRecurring(inv, startDelay, nanos.getAsLong());
    pump(inv.resourceId());
  }

  /** Cancels a recurring action; true if it was registered. */
  public synchronized boolean cancelRecurring(String resourceId, String action, Duration interval) {
    boolean removed = lane(resourceId).cancelRecurring(action, interval);
    pump(resourceId);
    return removed;
  }

  private ResourceLane lane(String resourceId) {
    return lanes.computeIfAbsent(resourceId, ResourceLane::new);
  }

  // Job ids are unique per lane only.
  private record JobKey(String resourceId, long id) {}

  private static JobKey key(String resourceId, long id) {
    return new JobKey(resourceId, id);
  }

  private void pump(String resourceId) {
    if (closed) {
      return;
    }
    ResourceLane lane = lane(resourceId);
    lane.poll(nanos.getAsLong()).ifPresentOrElse(job -> {
      try {
        workers.execute(() -> runJob(resourceId, job));
      } catch (RejectedExecutionException e) {
        lane.complete(job.id(), nanos.getAsLong());
        CompletableFuture<ExecResult> f = futures.remove(key(resourceId, job.id()));
        if (f != null) {
          f.completeExceptionally(e);
        }
      }
    }, () -> scheduleWakeup(resourceId, lane));
  }

  private void scheduleWakeup(String resourceId, ResourceLane lane) {
    ScheduledFuture<?> old = wakeups.remove(resourceId);
    if (old != null) {
      old.cancel(false);
    }
    lane.nextDueNanos().ifPresent(due -> {
      long delay = Math.max(0, due - nanos.getAsLong());
      wakeups.put(resourceId, timer.schedule(() -> {
        synchronized (this) {
          pump(resourceId);
        }
      }, delay, TimeUnit.NANOSECONDS));
    });
  }

  private void runJob(String resourceId, ResourceLane.Job job) {
    ExecResult result;
    try {
      result = runner.run(job.invocation());
    } catch (RuntimeException e) {
      result = new ExecResult(job.invocation(), io.vigil.exec.OcfRc.ERR_GENERIC, ExecStatus.ERROR,
          java.time.Instant.EPOCH, Duration.ZERO, "", false, "runner failed: " + e);
    }
    CompletableFuture<ExecResult> f;
    synchronized (this) {
      boolean cancelled = lane(resourceId).complete(job.id(), nanos.getAsLong());
      if (cancelled) {
        result = new ExecResult(result.invocation(), result.rc(), ExecStatus.CANCELLED, result.started(),
            result.duration(), result.output(), result.outputTruncated(), "recurring action cancelled while running");
      }
      f = futures.remove(key(resourceId, job.id()));
      pump(resourceId);
    }
    try {
      listener.onResult(result);
    } finally {
      if (f != null) {
        f.complete(result);
      }
    }
  }

  /** Stops scheduling; running actions finish, queued ones fail. Does not shut the executors down. */
  @Override
  public synchronized void close() {
    closed = true;
    wakeups.values().forEach(w -> w.cancel(false));
    wakeups.clear();
    futures.values().forEach(f -> f.completeExceptionally(new IllegalStateException("scheduler closed")));
    futures.clear();
  }
}
