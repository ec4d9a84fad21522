package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cluster.raft.RaftAccess;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Result;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.config.ConfigWriter;
import io.vigil.model.ClusterConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the request handlers share: reading the leader's state, committing a command with a
 * bound, and committing an edited configuration at the epoch it was read from (so a concurrent
 * change makes the edit fail instead of being overwritten).
 */
final class Committer {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final long SUBMIT_TIMEOUT_SECONDS = 15;
  final RaftAccess raft;
  final Clock clock;
  private final String node;

  Committer(RaftAccess raft, Clock clock, String node) {
    this.raft = raft;
    this.clock = clock;
    this.node = node;
  }

  /** Commits {@code c}; throws with a clear reason when no leader with a quorum answers. */
  Result submit(Command c) throws IOException, InterruptedException {
    try {
      return raft.submit(c).get(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("not committed: no leader with a quorum could be reached from " + node
          + " (is a majority of the voters up?); nothing was changed", e);
    }
  }

  /** The state as the leader has it; throws with a clear reason when there is no quorum. */
  ClusterState readLeaderState() throws IOException {
    try {
      return raft.readState();
    } catch (IOException e) {
      throw new IOException("cannot read the current configuration: no leader with a quorum could be reached from "
          + node + " (is a majority of the voters up?); nothing was changed", e);
    }
  }

  /** The configuration of {@code s}, or a reason why there is none. */
  static ClusterConfig configOrThrow(ClusterState s) {
    if (s.epoch() == 0) throw new Refused("no configuration has been applied yet (vigil apply -f cluster.yaml)");
    return new ConfigLoader(AgentCatalog.NONE).check(s.config().yaml(), "epoch-" + s.epoch()).config()
        .orElseThrow(() -> new Refused("the current configuration (epoch " + s.epoch() + ") does not load on " + "this node"));
  }

  /** Refuses when the request names an epoch (expectedEpoch) that is no longer current. */
  static void checkEpoch(com.fasterxml.jackson.databind.JsonNode req, ClusterState s) {
    if (req.has("expectedEpoch") && req.get("expectedEpoch").asLong() != s.epoch()) {
      throw new Refused("configuration changed meanwhile: expected epoch " + req.get("expectedEpoch").asLong()
          + ", current epoch is " + s.epoch());
    }
  }

  /** Commits {@code next} as the configuration that replaces the one at {@code readEpoch}. */
  ObjectNode commitConfig(long readEpoch, ClusterConfig next, String reason, String author) throws Exception {
    Result r = submit(new Command.ApplyConfig(readEpoch, ConfigWriter.write(next), reason, author, clock.millis()));
    ObjectNode n = JSON.createObjectNode();
    n.put("ok", r.accepted());
    n.put("epoch", r.epoch());
    n.put("message", r.accepted() ? reason + " (configuration epoch " + r.epoch() + ")" : r.message());
    if (!r.accepted()) n.put("error", r.message() + "; nothing was changed");
    return n;
  }

  /** The answer to a committed command. */
  static ObjectNode answer(Result r, String message) {
    ObjectNode n = JSON.createObjectNode();
    n.put("ok", r.accepted());
    n.put("message", r.accepted() ? message : r.message());
    if (!r.accepted()) n.put("error", r.message());
    return n;
  }

  /** A bad request: the handler answers ok:false with this message and changes nothing. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }
}
