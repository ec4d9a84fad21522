package io.vigil.scheduler;

import io.vigil.model.AgentRef;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Constraint;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.OpDefaults;
import io.vigil.model.Operation;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hand-made configurations and statuses for scheduler tests. */
final class Fixtures {
  private Fixtures() {}

  static Primitive dummy(String id) {
    return dummy(id, Meta.EMPTY);
  }

  static Primitive dummy(String id, Meta meta) {
    return new Primitive(id, AgentRef.parse("ocf:pacemaker:Dummy"), Map.of(), Map.of(), meta,
        List.of(Operation.of("monitor", Duration.ofSeconds(10), Duration.ofSeconds(20))), Map.of());
  }

  static Primitive fence(String id) {
    return new Primitive(id, AgentRef.parse("stonith:fence_xvm"), Map.of(), Map.of(), Meta.EMPTY, List.of(), Map.of());
  }

  static ClusterConfig config(List<String> nodes, List<Resource> resources, List<Constraint> constraints,
      Map<String, String> properties, Map<String, String> rscDefaults) {
    List<Node> ns = new ArrayList<>();
    nodes.forEach(n -> ns.add(Node.named(n)));
    return new ClusterConfig("test", ns, resources, constraints, new ClusterProperties(properties),
        Meta.of(rscDefaults), OpDefaults.EMPTY, List.of());
  }

  static ClusterConfig config(List<String> nodes, List<Resource> resources, List<Constraint> constraints) {
    return config(nodes, resources, constraints, Map.of("fencing-enabled", "false"), Map.of());
  }

  /** A resource that was probed (not running), started and monitored successfully. */
  static ResourceHistory running(String rsc, int call) {
    return new ResourceHistory(rsc, "ocf:pacemaker:Dummy", List.of(
        OpRecord.of(rsc + "_monitor_0", "monitor", 0, 7, call, 7),
        OpRecord.of(rsc + "_start_0", "start", 0, 0, call + 1, 0),
        OpRecord.of(rsc + "_monitor_10000", "monitor", 10000, 0, call + 2, 0)));
  }

  /** A resource probed and found stopped. */
  static ResourceHistory stopped(String rsc, int call) {
    return new ResourceHistory(rsc, "ocf:pacemaker:Dummy", List.of(OpRecord.of(rsc + "_monitor_0", "monitor", 0, 7, call, 7)));
  }

  /** A running resource whose recurring monitor then failed with {@code rc}. */
  static ResourceHistory monitorFailed(String rsc, int call, int rc) {
    return new ResourceHistory(rsc, "ocf:pacemaker:Dummy", List.of(
        OpRecord.of(rsc + "_monitor_0", "monitor", 0, 7, call, 7),
        OpRecord.of(rsc + "_start_0", "start", 0, 0, call + 1, 0),
        new OpRecord(rsc + "_monitor_10000", "monitor", 10000, rc, OpRecord.EXEC_ERROR, call + 2, 0, Optional.empty(), 0,
            Optional.empty(), Optional.empty())));
  }

  static ClusterStatus status(NodeStatus... nodes) {
    return ClusterStatus.of(List.of(nodes));
  }
}
