package io.vigil.fencing.policy;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.topology.FenceOperation;
import java.time.Instant;
import java.util.Optional;

/**
 * What the policy knows about one node, immutable; the runtime keeps one per node in its replicated state.
 *
 * <pre>
 * member --lost(t)--> lost --fenced / confirmed / lease expired--> recoverable --rejoined--> member
 *                       \--failed(t)--> lost (failures+1, retry after backoff)
 * </pre>
 *
 * @param lostSince when the node was declared lost; empty while it is a member
 * @param fencedAt last successful off/reboot of the node after it was lost
 * @param confirmedBy operator who vouched the node is down (vigil fence confirm)
 * @param lastLeaseRenewal the last lease renewal the survivors saw from the node
 * @param hasDevice whether its topology has any level (a device could fence it)
 */
public record NodeFencingState(String node, Optional<Instant> lostSince, boolean maintenance, int failures,
    Optional<Instant> lastFailure, String lastFailureReason, Optional<Instant> fencedAt, Optional<String> confirmedBy,
    Optional<Instant> lastLeaseRenewal, boolean hasDevice) {

  public NodeFencingState {
    if (failures < 0) throw new IllegalArgumentException("failures < 0");
    lastFailureReason = lastFailureReason == null ? "" : lastFailureReason;
  }

  public static NodeFencingState member(String node, boolean hasDevice) {
    return new NodeFencingState(node, Optional.empty(), false, 0, Optional.empty(), "", Optional.empty(), Optional.empty(),
        Optional.empty(), hasDevice);
  }

  public boolean isLost() {
    return lostSince.isPresent();
  }

  public NodeFencingState lost(Instant at, Optional<Instant> lastRenewal) {
    return new NodeFencingState(node, Optional.of(at), maintenance, 0, Optional.empty(), "", Optional.empty(),
        Optional.empty(), lastRenewal, hasDevice);
  }

  public NodeFencingState rejoined() {
    return new NodeFencingState(node, Optional.empty(), maintenance, 0, Optional.empty(), "", Optional.empty(),
        Optional.empty(), Optional.empty(), hasDevice);
  }

  public NodeFencingState withMaintenance(boolean on) {
    return new NodeFencingState(node, lostSince, on, failures, lastFailure, lastFailureReason, fencedAt, confirmedBy,
        lastLeaseRenewal, hasDevice);
  }

  /** The state after {@code op} finished: a successful off/reboot fences the node, a failure counts. */
  public NodeFencingState after(FenceOperation op) {
    if (!op.target().equals(node)) throw new IllegalArgumentException("operation for '" + op.target() + "' applied to '" + node + "'");
    if (op.succeeded() && op.action() != FenceAction.ON) {
      return new NodeFencingState(node, lostSince, maintenance, 0, Optional.empty(), "", Optional.of(op.finished()),
          confirmedBy, lastLeaseRenewal, hasDevice);
    }
    if (op.succeeded()) return this;
    return new NodeFencingState(node, lostSince, maintenance, failures + 1, Optional.of(op.finished()), op.summary(),
        fencedAt, confirmedBy, lastLeaseRenewal, hasDevice);
  }

  /** The operator vouches the node is down ({@code vigil fence confirm NODE --yes}). */
  public NodeFencingState confirmedBy(String operator) {
    return new NodeFencingState(node, lostSince, maintenance, failures, lastFailure, lastFailureReason, fencedAt,
        Optional.of(operator), lastLeaseRenewal, hasDevice);
  }

  /** Whether the node is known down since it was lost: fenced after the loss or confirmed by an operator. */
  public boolean isDownSinceLoss() {
    if (confirmedBy.isPresent()) return true;
    return fencedAt.isPresent() && lostSince.map(l -> !fencedAt.get().isBefore(l)).orElse(true);
  }
}
