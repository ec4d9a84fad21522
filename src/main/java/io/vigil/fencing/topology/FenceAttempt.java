package io.vigil.fencing.topology;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceResult;
import java.time.Duration;
import java.time.Instant;

/**
 * One device action of a fencing operation, as recorded in the history. {@code result} is a redacted
 * one-line summary: it never holds a secret.
 */
public record FenceAttempt(Instant at, String requester, String reason, String target, int level, String device,
    FenceAction action, FenceResult.Outcome outcome, String result, Duration duration) {

  public boolean succeeded() {
    return outcome == FenceResult.Outcome.SUCCESS;
  }
}
