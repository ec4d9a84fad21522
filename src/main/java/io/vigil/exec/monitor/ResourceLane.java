package io.vigil.exec.monitor;

import io.vigil.exec.Invocation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The actions of ONE resource, run one at a time (pure: no threads, time passed in as nanos).
 *
 * <p>Rules: at most one action is in flight; queued one-shot actions (start, stop, promote, ...)
 * run in submission order and before any due monitor; a recurring monitor first runs
 * {@code start-delay} after it was added, then {@code interval} after each completion (as
 * Pacemaker reschedules); submitting {@code stop} cancels every recurring monitor first, so a
 * monitor never runs after or during a stop (an in-flight monitor finishes first and is
 * reported as cancelled).
 */
public final class ResourceLane {

  /** One unit of work: a job id (to match completions) and what to run. */
  public record Job(long id, Invocation invocation, boolean recurring) {}

  private static final class Recurring {
    final Invocation invocation;
    long dueNanos;

    Recurring(Invocation invocation, long dueNanos) {
      this.invocation = invocation;
      this.dueNanos = dueNanos;
    }
  }

  private final String resourceId;
  private final Deque<Job> queue = new ArrayDeque<>();
  private final List<Recurring> recurring = new ArrayList<>();
  private Job inFlight;
  private boolean inFlightCancelled;
  private long nextId;

  public ResourceLane(String resourceId) {
    this.resourceId = resourceId;
  }

  /** Queues a one-shot action; a stop first cancels all recurring monitors. Returns its job id. */
  public long submit(Invocation inv) {
    checkResource(inv);
    if (inv.action().equals("stop")) {
      cancelAllRecurring();
    }
    Job job = new Job(++nextId, inv, false);
    queue.addLast(job);
    return job.id();
  }

  /** Adds (or replaces) a recurring action, first due {@code startDelay} after {@code nowNanos}. */
  public void addRecurring(Invocation inv, Duration startDelay, long nowNanos) {
    checkResource(inv);
    if (!inv.recurring()) {
      throw new IllegalArgumentException("recurring " + inv.action() + " of " + resourceId + " needs an interval above 0");
    }
    cancelRecurring(inv.action(), inv.interval());
    recurring.add(new Recurring(inv, nowNanos + startDelay.toNanos()));
  }

  /** Cancels one recurring action; true if it existed. An in-flight run will be reported cancelled. */
  public boolean cancelRecurring(String action, Duration interval) {
    boolean removed = recurring.removeIf(r -> r.invocation.action().equals(action) && r.invocation.interval().equals(interval));
    if (inFlight != null && inFlight.recurring() && inFlight.invocation().action().equals(action)
        && inFlight.invocation().interval().equals(interval)) {
      inFlightCancelled = true;
      removed = true;
    }
    return removed;
  }

  /** Cancels every recurring action of this resource. */
  public void cancelAllRecurring() {
    recurring.clear();
    if (inFlight != null && inFlight.recurring()) {
      inFlightCancelled = true;
    }
  }

  /** The job to start now, if the lane is idle and something is queued or due; it becomes in flight. */
  public Optional<Job> poll(long nowNanos) {
    if (inFlight != null) {
      return Optional.empty();
    }
    if (!queue.isEmpty()) {
      inFlight = queue.pollFirst();
    } else {
      Recurring due = null;
      for (Recurring r : recurring) {
        if (r.dueNanos - nowNanos <= 0 && (due == null || r.dueNanos - due.dueNanos < 0)) {
          due = r;
        }
      }
      if (due == null) {
        return Optional.empty();
      }
      due.dueNanos = Long.MAX_VALUE; // not due again until it completes
      inFlight = new Job(++nextId, due.invocation, true);
    }
    inFlightCancelled = false;
    return Optional.of(inFlight);
  }

  /**
   * Marks the in-flight job done at {@code nowNanos}; reschedules it if recurring and still
   * wanted. Returns true when the job was a recurring action cancelled while it ran.
   */
  public boolean complete(long jobId, long nowNanos) {
    if (inFlight == null || inFlight.id() != jobId) {
      throw new IllegalStateException("resource " + resourceId + ": job " + jobId + " completed but "
          + (inFlight == null ? "nothing" : "job " + inFlight.id()) + " is in flight");
    }
    Job done = inFlight;
    boolean cancelled = inFlightCancelled;
    inFlight = null;
    inFlightCancelled = false;
    if (done.recurring() && !cancelled) {
      for (Recurring r : recurring) {
        if (r.invocation == done.invocation()) {
          r.dueNanos = nowNanos + done.invocation().interval().toNanos();
        }
      }
    }
    return cancelled;
  }

  /** Nanos of the earliest due recurring action when idle with an empty queue; empty otherwise. */
  public Optional<Long> nextDueNanos() {
    if (inFlight != null || !queue.isEmpty()) {
      return Optional.empty();
    }
    return recurring.stream().map(r -> r.dueNanos).filter(d -> d != Long.MAX_VALUE)
        .reduce((a, b) -> a - b <= 0 ? a : b);
  }

  public boolean busy() {
    return inFlight != null;
  }

  public int queued() {
    return queue.size();
  }

  /** The recurring actions registered, for status output. */
  public List<Invocation> recurringActions() {
    return recurring.stream().map(r -> r.invocation).toList();
  }

  private void checkResource(Invocation inv) {
    if (!inv.resourceId().equals(resourceId)) {
      throw new IllegalArgumentException("action for '" + inv.resourceId() + "' submitted to the lane of '" + resourceId + "'");
    }
  }
}
