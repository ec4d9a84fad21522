package io.vigil.fencing;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to fence one node.
 *
 * @param requester who asked: a user name for operator requests, "cluster" (or the deciding node) otherwise
 * @param timeout overall limit for the whole operation; empty = the cluster's fencing-timeout
 */
public record FenceRequest(String target, FenceAction action, Kind kind, String requester, String reason,
    Optional<Duration> timeout) {

  /** Automatic requests need quorum and respect pauses; operator requests are explicit and need neither. */
  public enum Kind { AUTOMATIC, OPERATOR }

  public FenceRequest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(kind, "kind");
    requester = requester == null || requester.isBlank() ? "unknown" : requester;
    reason = reason == null ? "" : reason;
    timeout = timeout == null ? Optional.empty() : timeout;
    if (!action.isFencing()) {
      throw new IllegalArgumentException("fencing action must be off, on or reboot, not " + action);
    }
    if (timeout.isPresent() && (timeout.get().isNegative() || timeout.get().isZero())) {
      throw new IllegalArgumentException("fencing timeout must be positive, got " + timeout.get());
    }
  }
}
