package io.vigil.cli;

import io.vigil.config.AgentCatalog;
import io.vigil.exec.AgentRunner;
import io.vigil.exec.metadata.AgentMetadata;
import io.vigil.exec.metadata.MetadataCache;
import io.vigil.exec.metadata.MetadataException;
import io.vigil.exec.metadata.ParameterSpec;
import io.vigil.model.AgentRef;
import io.vigil.model.ResourceClass;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The configuration checker's view of the agents installed on this host, from their meta-data.
 * OCF and stonith agents are checked; LSB, systemd and built-in types are not described by
 * meta-data the same way and are skipped.
 */
final class InstalledAgents implements AgentCatalog {
  private final MetadataCache cache;
  private final io.vigil.fencing.device.FenceAgentCatalog fenceAgents = io.vigil.fencing.device.FenceAgentCatalog.system();

  InstalledAgents(AgentRunner runner) {
    this.cache = new MetadataCache(runner, Duration.ofSeconds(10));
  }

  @Override
  public boolean canCheck(ResourceClass resourceClass) {
    return resourceClass == ResourceClass.OCF;
  }

  @Override
  public boolean canCheck(AgentRef agent) {
    return canCheck(agent.resourceClass()) || fenceAgents.canCheck(agent);
  }

  @Override
  public String notDescribed(AgentRef agent) {
    return fenceAgents.canCheck(agent) ? fenceAgents.notDescribed(agent) : AgentCatalog.super.notDescribed(agent);
  }

  @Override
  public Optional<AgentDescription> describe(AgentRef agent) {
    if (fenceAgents.canCheck(agent)) return fenceAgents.describe(agent);
    try {
      AgentMetadata md = cache.get(agent);
      return Optional.of(new AgentDescription(
          md.parameters().stream().map(ParameterSpec::name).toList(),
          md.parameters().stream().filter(ParameterSpec::required).map(ParameterSpec::name).collect(Collectors.toSet()),
          md.actions().stream().map(a -> a.name()).collect(Collectors.toSet())));
    } catch (MetadataException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
