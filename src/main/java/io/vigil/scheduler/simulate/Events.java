package io.vigil.scheduler.simulate;

import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What-if events applied to a status before scheduling, as crm_simulate's injections. */
public final class Events {
  private static final Pattern OP = Pattern.compile("(.+)_([a-z_]+)_(\\d+)@([^=]+)=(-?\\d+)");

  private Events() {}

  /** The node has left cleanly (it is offline and expected down). */
  public static ClusterStatus nodeDown(ClusterStatus s, String node) {
    return s.withNode(find(s, node).withMembership("false", "offline", "down", "down").withResources(List.of()));
  }

  /** The node has joined and runs nothing yet (its history is kept). */
  public static ClusterStatus nodeUp(ClusterStatus s, String node) {
    NodeStatus n = s.node(node).orElse(NodeStatus.online(node, List.of()));
    return s.withNode(n.withMembership("true", "online", "member", "member"));
  }

  /** The node is lost while expected up: unclean, to be fenced. */
  public static ClusterStatus nodeFail(ClusterStatus s, String node) {
    return s.withNode(find(s, node).withMembership("false", "offline", "member", "member"));
  }

  /** The node is put in standby (transient attribute, as {@code crm_standby -l reboot}). */
  public static ClusterStatus standby(ClusterStatus s, String node) {
    NodeStatus n = find(s, node);
    Map<String, String> a = new LinkedHashMap<>(n.attributes());
    a.put("standby", "on");
    return s.withNode(n.withAttributes(a));
  }

  /**
   * Records a failed operation, {@code RSC_ACTION_INTERVAL@NODE=RC} (interval in milliseconds),
   * with a call id after every other one on that node, and bumps the fail count.
   */
  public static ClusterStatus opFail(ClusterStatus s, String spec) {
    Matcher m = OP.matcher(spec.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("--op-fail '" + spec + "': expected RSC_ACTION_INTERVAL@NODE=RC, "
          + "e.g. db_monitor_10000@node1=7");
    }
    String rsc = m.group(1);
    String action = m.group(2);
    long interval = Long.parseLong(m.group(3));
    String node = m.group(4);
    int rc = Integer.parseInt(m.group(5));
    NodeStatus n = find(s, node);
    int call = n.resources().stream().flatMap(h -> h.ops().stream()).mapToInt(OpRecord::callId).max().orElse(0) + 1;
    int expected = action.equals("monitor") && interval == 0 ? 7 : 0;
    OpRecord op = new OpRecord(rsc + "_" + action + "_" + interval, action, interval, rc,
        rc == expected ? OpRecord.EXEC_DONE : OpRecord.EXEC_ERROR, call, expected, Optional.empty(), 0,
        Optional.empty(), Optional.empty());
    List<ResourceHistory> hs = new ArrayList<>();
    boolean found = false;
    for (ResourceHistory h : n.resources()) {
      if (h.resourceId().equals(rsc)) {
        List<OpRecord> ops = new ArrayList<>(h.ops().stream().filter(o -> !o.id().equals(op.id())).toList());
        ops.add(op);
        hs.add(new ResourceHistory(rsc, h.agent(), ops));
        found = true;
      } else {
        hs.add(h);
      }
    }
    if (!found) hs.add(new ResourceHistory(rsc, "", List.of(op)));
    Map<String, String> a = new LinkedHashMap<>(n.attributes());
    if (rc != expected) {
      String key = "fail-count-" + rsc + "#" + action + "_" + interval;
      int cur = io.vigil.status.FailCounts.parseCount(a.getOrDefault(key, "0"));
      a.put(key, action.equals("start") ? "INFINITY" : Integer.toString(cur + 1));
    }
    return s.withNode(n.withResources(hs).withAttributes(a));
  }

  private static NodeStatus find(ClusterStatus s, String node) {
    return s.node(node).orElseThrow(() -> new IllegalArgumentException(
        "node '" + node + "' is not in the status (known: "
            + String.join(", ", s.nodes().stream().map(NodeStatus::name).toList()) + ")"));
  }
}
