package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.ClusterState;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterConfig;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated configuration as a model, parsed once per epoch: empty before the first apply or
 * when the epoch's text does not load on this node (logged once).
 */
public final class EpochConfig {
  private static final Logger LOG = LoggerFactory.getLogger(EpochConfig.class);
  private long epoch = -1;
  private Optional<ClusterConfig> config = Optional.empty();

  /** The configuration of {@code state}'s epoch. */
  public synchronized Optional<ClusterConfig> of(ClusterState state) {
    if (state.epoch() != epoch) {
      config = Optional.empty();
      if (state.epoch() > 0) {
        ConfigLoader.Result r = new ConfigLoader(AgentCatalog.NONE).check(state.config().yaml(), "epoch-" + state.epoch());
        if (r.valid()) config = r.config();
        else LOG.warn("configuration epoch {} does not load here: {}", state.epoch(), r.errors());
      }
      epoch = state.epoch();
    }
    return config;
  }

  /** The configuration last read, if any (for work that must not wait on the replicated state). */
  public synchronized Optional<ClusterConfig> last() {
    return config;
  }
}
