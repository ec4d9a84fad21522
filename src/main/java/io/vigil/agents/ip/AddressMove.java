package io.vigil.agents.ip;

import java.util.ArrayList;
import java.util.List;

/**
 * Moves a floating address between two holders without ever having it active on both:
 * pre-check on the target (nobody but the source answers), stop on the source, confirm the
 * source no longer has it (monitor = 7), only then start on the target (add + announce). If the
 * target fails, the address is put back on the source.
 *
 * <p>This is the mechanism behind {@code vigil ip move}; the cluster supplies holders that run
 * on remote nodes and, when the source node is unreachable, calls {@link #takeOver} only after
 * the source was fenced.
 */
public final class AddressMove {
  private AddressMove() {}

  /** One executed step, for the history and the command's output. */
  public record Step(String holder, String action, AgentResult result) {}

  /** Whether the address now lives on the target, with every step taken. */
  public record Outcome(boolean moved, String message, List<Step> steps) {
    public Outcome {
      steps = List.copyOf(steps);
    }
  }

  /** Stop on {@code from}, verify it is gone, start on {@code to}; roll back on failure. */
  public static Outcome move(String fromName, AddressHolder from, String toName, AddressHolder to) {
    List<Step> steps = new ArrayList<>();
    // Probe from the target while the source still answers: only the source's MACs may reply.
    // A conflict is found before anything changes, and the probe wait is not part of the outage.
    AgentResult pre = to.precheck(from.ownMacs());
    if (pre.rc() != AgentResult.OCF_ERR_UNIMPLEMENTED) {
      record(steps, toName, "precheck", pre);
      if (!pre.isSuccess()) {
        return new Outcome(false, "not moved: pre-check on " + toName + " failed (" + pre.message()
            + "); nothing was changed", steps);
      }
    }
    AgentResult stop = record(steps, fromName, "stop", from.stop());
    if (!stop.isSuccess()) {
      return new Outcome(false, "not moved: stop on " + fromName + " failed (" + stop.message()
          + "); the target was not touched, so the address is never active twice", steps);
    }
    AgentResult gone = record(steps, fromName, "monitor", from.monitor());
    if (gone.rc() != AgentResult.OCF_NOT_RUNNING) {
      return new Outcome(false, "not moved: " + fromName + " still has the address after stop ("
          + gone.message() + "); refusing to start it on " + toName, steps);
    }
    AgentResult start = record(steps, toName, "start", pre.isSuccess() ? to.startPrechecked() : to.start());
    if (start.isSuccess()) {
      return new Outcome(true, "moved from " + fromName + " to " + toName + ": " + start.message(), steps);
    }
    AgentResult back = record(steps, fromName, "start", from.start());
    return new Outcome(false, "not moved: start on " + toName + " failed (" + start.message() + "); "
        + (back.isSuccess() ? "restored on " + fromName : "restoring on " + fromName + " failed too ("
            + back.message() + ")"), steps);
  }

  /** Start on {@code to} when the previous holder is known gone (fenced / powered off). */
  public static Outcome takeOver(String toName, AddressHolder to) {
    List<Step> steps = new ArrayList<>();
    AgentResult start = record(steps, toName, "start", to.start());
    return new Outcome(start.isSuccess(), (start.isSuccess() ? "taken over by " : "take-over failed on ")
        + toName + ": " + start.message(), steps);
  }

  private static AgentResult record(List<Step> steps, String holder, String action, AgentResult r) {
    steps.add(new Step(holder, action, r));
    return r;
  }
}
