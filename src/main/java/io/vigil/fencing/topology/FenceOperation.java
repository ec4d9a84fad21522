package io.vigil.fencing.topology;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A finished fencing operation: the request, every attempt, and how it ended.
 *
 * @param level the level that succeeded, if any
 */
public record FenceOperation(String id, String target, FenceAction action, FenceRequest.Kind kind, String requester,
    String reason, Instant started, Instant finished, boolean succeeded, Optional<Integer> level, String summary,
    List<FenceAttempt> attempts) {

  public FenceOperation {
    attempts = List.copyOf(attempts);
  }
}
