package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.exec.ControlClient;
import io.vigil.cluster.daemon.StateDir;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Shared by the cluster commands: which state directory, and one call to the local daemon. */
final class ClusterCli {
  static final ObjectMapper JSON = new ObjectMapper();

  private ClusterCli() {}

  /** The {@code --state-dir} option as a picocli mixin. */
  static final class StateDirOption {
    @Option(names = "--state-dir", paramLabel = "DIR",
        description = "The node's state directory (default: $VIGIL_STATE_DIR or /var/lib/vigil).")
    Path stateDir;

    Path resolve() {
      return StateDir.resolve(stateDir);
    }
  }

  static ObjectNode request(String op) {
    ObjectNode n = JSON.createObjectNode();
    n.put("op", op);
    return n;
  }

  static JsonNode call(StateDirOption dir, ObjectNode request) throws IOException {
    return new ControlClient(StateDir.socket(dir.resolve())).call(request);
  }
}
