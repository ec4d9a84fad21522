package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cluster.coordinator.OperatorEdits;
import io.vigil.cluster.coordinator.ResourceView;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.NodeState;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.Role;
import io.vigil.model.Suggest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The operator's requests about resources and nodes: {@code resource-move|ban|clear} (with an
 * optional lifetime), {@code resource-start|stop|restart|cleanup}, {@code cluster-maintenance}
 * and {@code node-state}. Configuration edits are committed at the epoch they were read from; a
 * bad request (unknown resource or node, stale epoch, no quorum) changes nothing and says why.
 */
final class ResourceRequests {
  static final Duration MAX_LIFETIME = Duration.ofDays(3650);
  static final Duration DEFAULT_RESTART_WAIT = Duration.ofSeconds(60);
  private final Committer commit;
  private final BooleanSupplier quorum;

  ResourceRequests(Committer commit, BooleanSupplier quorum) {
    this.commit = commit;
    this.quorum = quorum;
  }

  /** Answers one request of this area, or null if {@code op} is not one. */
  ObjectNode handle(String op, JsonNode req, String author) throws Exception {
    try {
      return switch (op) {
        case "resource-move", "resource-ban", "resource-clear" -> placement(op, req, author);
        case "resource-start" -> role(req, Role.STARTED, author);
        case "resource-stop" -> role(req, Role.STOPPED, author);
        case "resource-restart" -> restart(req, author);
        case "resource-cleanup" -> cleanup(req, author);
        case "cluster-maintenance" -> maintenance(req, author);
        case "node-state" -> nodeState(req, author);
        default -> null;
      };
    } catch (Committer.Refused | IllegalArgumentException e) {
      return ControlServer.error(e.getMessage() + (e.getMessage().contains("nothing was changed") ? "" : "; nothing was changed"));
    }
  }

  static final List<String> OPS = List.of("resource-move", "resource-ban", "resource-clear", "resource-start",
      "resource-stop", "resource-restart", "resource-cleanup", "cluster-maintenance", "node-state");

  private static String resourceOf(JsonNode req, String op) {
    String resource = req.path("resource").asText("");
    if (resource.isEmpty()) throw new Committer.Refused(op + " needs 'resource'");
    return resource;
  }

  /** move/ban/clear; without a node, move and ban act on the node the resource runs on now. */
  private ObjectNode placement(String op, JsonNode req, String author) throws Exception {
    String resource = resourceOf(req, op);
    String node = req.path("node").asText("");
    ClusterState s = commit.readLeaderState();
    Committer.checkEpoch(req, s);
    ClusterConfig current = Committer.configOrThrow(s);
    Optional<Instant> until = lifetime(req, op);
    String verb = op.substring("resource-".length());
    if (op.equals("resource-clear")) {
      return commit.commitConfig(s.epoch(), OperatorEdits.clear(current, resource), "clear " + resource, author);
    }
    String suffix = until.map(u -> " until " + u.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).orElse("");
    if (node.isEmpty()) {
      String on = singleNodeOf(s, current, resource, verb);
      return commit.commitConfig(s.epoch(), OperatorEdits.ban(current, resource, on, until), "ban " + resource + " from " + on + suffix, author);
    }
    ClusterConfig next = op.equals("resource-move") ? OperatorEdits.move(current, resource, node, until)
        : OperatorEdits.ban(current, resource, node, until);
    return commit.commitConfig(s.epoch(), next, verb + " " + resource + " " + node + suffix, author);
  }

  private Optional<Instant> lifetime(JsonNode req, String op) {
    if (!req.has("lifetimeSeconds")) return Optional.empty();
    long secs = req.get("lifetimeSeconds").asLong(-1);
    if (op.equals("resource-clear")) throw new Committer.Refused("clear takes no lifetime");
    if (secs < 1 || secs > MAX_LIFETIME.toSeconds()) {
      throw new Committer.Refused("lifetime " + secs + "s is out of range, expected 1s.." + MAX_LIFETIME.toDays() + "d");
    }
    return Optional.of(commit.clock.instant().plusSeconds(secs));
  }

  private String singleNodeOf(ClusterState s, ClusterConfig c, String resource, String verb) {
    List<String> on = runningOn(s, c, resource);
    if (on.size() != 1) {
      throw new Committer.Refused("'" + resource + "' runs on " + (on.isEmpty() ? "no node" : on.size() + " nodes " + on)
          + "; name the node (vigil resource " + verb + " " + resource + " NODE)");
    }
    return on.getFirst();
  }

  /** The nodes where any instance of {@code resource}'s primitives runs, per the replicated status. */
  private List<String> runningOn(ClusterState s, ClusterConfig c, String resource) {
    List<String> prims = c.resource(resource).map(r -> r.primitives().stream().map(Primitive::id).toList()).orElse(List.of());
    var view = ResourceView.of(s, c, quorum.getAsBoolean(), commit.clock.instant());
    return view.resources().stream()
        .filter(l -> prims.stream().anyMatch(p -> l.instance().equals(p) || l.instance().startsWith(p + ":")))
        .flatMap(l -> l.runningOn().keySet().stream()).distinct().sorted().toList();
  }

  private ObjectNode role(JsonNode req, Role role, String author) throws Exception {
    String op = role == Role.STARTED ? "start" : "stop";
    String resource = resourceOf(req, "resource-" + op);
    ClusterState s = commit.readLeaderState();
    Committer.checkEpoch(req, s);
    ClusterConfig next = OperatorEdits.targetRole(Committer.configOrThrow(s), resource, role);
    return commit.commitConfig(s.epoch(), next, op + " " + resource + " (target-role " + role.label() + ")", author);
  }

  /**
   * Stop, wait until the replicated status confirms that no instance runs any more (bounded by
   * {@code timeoutSeconds}), then restore the resource's meta attributes as they were.
   */
  private ObjectNode restart(JsonNode req, String author) throws Exception {
    String resource = resourceOf(req, "resource-restart");
    Duration wait = Duration.ofSeconds(req.path("timeoutSeconds").asLong(DEFAULT_RESTART_WAIT.toSeconds()));
    if (wait.isNegative() || wait.isZero() || wait.toHours() > 24) throw new Committer.Refused("restart timeout " + wait + " is out of range 1s..24h");
    ClusterState s = commit.readLeaderState();
    Committer.checkEpoch(req, s);
    ClusterConfig current = Committer.configOrThrow(s);
    Resource r = current.resource(resource).orElseThrow(() -> new Committer.Refused(
        "unknown resource '" + resource + "'" + Suggest.hint(resource, current.resourcesById().keySet())));
    if (current.effectiveMeta(resource).getOrDefault(io.vigil.model.Meta.TARGET_ROLE) == Role.STOPPED) {
      throw new Committer.Refused("'" + resource + "' is stopped (target-role Stopped); start it with vigil resource start " + resource);
    }
    ObjectNode stopped = commit.commitConfig(s.epoch(), OperatorEdits.targetRole(current, resource, Role.STOPPED),
        "restart " + resource + ": stop", author);
    if (!stopped.path("ok").asBoolean()) return stopped;
    long stopEpoch = stopped.path("epoch").asLong();
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> still;
    while (true) {
      ClusterState now = commit.raft.localState();
      still = now.epoch() < stopEpoch ? List.of("?") : runningOn(now, Committer.configOrThrow(now), resource);
      if (still.isEmpty() || System.nanoTime() - deadline >= 0) break;
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new InterruptedException("restart of " + resource + " interrupted while waiting for the stop");
      }
    }
    if (!still.isEmpty()) {
      return ControlServer.error("restart " + resource + ": the stop was not confirmed within " + wait.toSeconds()
          + "s (still running on " + still + "); it stays target-role Stopped: vigil resource start " + resource);
    }
    ClusterState after = commit.readLeaderState();
    ClusterConfig restored = OperatorEdits.withMeta(Committer.configOrThrow(after), resource, r.meta());
    ObjectNode started = commit.commitConfig(after.epoch(), restored, "restart " + resource + ": start", author);
    if (started.path("ok").asBoolean()) {
      started.put("message", "restarted " + resource + ": stop confirmed, start requested (configuration epoch "
          + started.path("epoch").asLong() + ")");
    }
    return started;
  }

  private ObjectNode cleanup(JsonNode req, String author) throws Exception {
    String resource = resourceOf(req, "resource-cleanup");
    String node = req.path("node").asText("");
    ClusterState s = commit.readLeaderState();
    ClusterConfig c = Committer.configOrThrow(s);
    Resource r = c.resource(resource).orElseThrow(() -> new Committer.Refused(
        "unknown resource '" + resource + "'" + Suggest.hint(resource, c.resourcesById().keySet())));
    if (!node.isEmpty() && c.node(node).isEmpty()) {
      throw new Committer.Refused("unknown node '" + node + "'" + Suggest.hint(node, c.nodes().stream().map(io.vigil.model.Node::name).toList()));
    }
    List<String> prims = r.primitives().stream().map(Primitive::id).toList();
    var res = commit.submit(new Command.CleanupResource(prims, node, author, commit.clock.millis()));
    return Committer.answer(res, "cleaned up " + resource + (node.isEmpty() ? " on every node" : " on " + node)
        + ": fail counts reset and operation history forgotten; the cluster probes it again");
  }

  private ObjectNode maintenance(JsonNode req, String author) throws Exception {
    if (!req.has("on")) throw new Committer.Refused("cluster-maintenance needs 'on': true or false");
    boolean on = req.get("on").asBoolean();
    ClusterState s = commit.readLeaderState();
    Committer.checkEpoch(req, s);
    ClusterConfig next = OperatorEdits.maintenanceMode(Committer.configOrThrow(s), on);
    return commit.commitConfig(s.epoch(), next, "maintenance-mode " + (on ? "on" : "off")
        + (on ? ": nothing is started, stopped or recovered until off" : ""), author);
  }

  /** standby / online / maintenance of a known node. */
  private ObjectNode nodeState(JsonNode req, String author) throws Exception {
    String node = req.path("node").asText("");
    String state = req.path("state").asText("");
    NodeState target = switch (state) {
      case "standby" -> NodeState.STANDBY;
      case "online" -> NodeState.ONLINE;
      case "maintenance" -> NodeState.MAINTENANCE;
      default -> throw new Committer.Refused("node-state 'state' is '" + state + "', expected standby, online or maintenance");
    };
    ClusterState s = commit.readLeaderState();
    if (!s.status().nodes().containsKey(node)) {
      throw new Committer.Refused("unknown node '" + node + "'" + Suggest.hint(node, s.status().nodes().keySet()));
    }
    var r = commit.submit(new Command.SetNodeState(node, target, "operator: " + state, author, commit.clock.millis()));
    return Committer.answer(r, "node " + node + " " + state);
  }
}
