package io.vigil.status;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The operation history of one resource on one node ({@code lrm_resource}), in call order.
 *
 * @param resourceId the resource (or clone instance, e.g. {@code ping:1}) id as recorded
 * @param agent the agent as recorded ({@code ocf:heartbeat:IPaddr2}), used for orphans
 */
public record ResourceHistory(String resourceId, String agent, List<OpRecord> ops) {
  private static final Comparator<OpRecord> CALL_ORDER = Comparator
      .comparingInt((OpRecord o) -> o.opStatus() == OpRecord.EXEC_PENDING ? Integer.MAX_VALUE : 0)
      .thenComparingInt(OpRecord::callId);

  public ResourceHistory {
    Objects.requireNonNull(resourceId, "resourceId");
    agent = agent == null ? "" : agent;
    ops = ops.stream().sorted(CALL_ORDER).toList();
  }
}
