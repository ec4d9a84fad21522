package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cluster.coordinator.StatusView;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Codec;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterConfig;
import io.vigil.cli.SimulateCommand.SimulationInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * {@code vigil simulate --live}: the running cluster's configuration and status as the
 * coordinator sees them (the same {@link StatusView}), read through the local daemon, so a
 * what-if starts from what is true now.
 */
final class LiveCluster {
  private LiveCluster() {}

  static SimulateCommand.Loaded load(ClusterCli.StateDirOption dir) throws SimulationInputException {
    JsonNode r;
    try {
      r = ClusterCli.call(dir, ClusterCli.request("state"));
    } catch (IOException e) {
      throw new SimulationInputException("cannot reach the local daemon: " + e.getMessage(), e);
    }
    if (!r.path("ok").asBoolean()) throw new SimulationInputException("the daemon refused: " + r.path("error").asText(), null);
    Codec.Decoded<ClusterState> d = Codec.decodeState(r.path("state").toString().getBytes(StandardCharsets.UTF_8));
    if (!d.ok()) throw new SimulationInputException("the daemon's state does not decode: " + d.error(), null);
    ClusterState state = d.value();
    if (state.epoch() == 0) throw new SimulationInputException("no configuration has been applied to the cluster yet", null);
    ConfigLoader.Result c = new ConfigLoader(AgentCatalog.NONE).check(state.config().yaml(), "epoch-" + state.epoch());
    ClusterConfig config = c.config().orElseThrow(() -> new SimulationInputException(
        "the cluster's configuration (epoch " + state.epoch() + ") does not load here: " + c.errors(), null));
    List<String> notes = List.of("configuration epoch " + state.epoch() + (r.path("hasQuorum").asBoolean() ? "" : ", this node has NO quorum"));
    return new SimulateCommand.Loaded(config, StatusView.of(state, config, r.path("hasQuorum").asBoolean(), Instant.now()), notes);
  }
}
