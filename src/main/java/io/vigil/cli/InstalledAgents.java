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
  /** Where OCF agents are installed, when only those found there are to be checked; else null. */
  private final java.nio.file.Path ocfRoot;
  /** The node that checks (in the warning about an agent it does not have). */
  private final String node;

  InstalledAgents(AgentRunner runner) {
    this(runner, null, "");
  }

  private InstalledAgents(AgentRunner runner, java.nio.file.Path ocfRoot, String node) {
    this.cache = new MetadataCache(runner, Duration.ofSeconds(10));
    this.ocfRoot = ocfRoot;
    this.node = node;
  }

  /**
   * For {@code vigil apply} in the daemon: only the OCF agents installed on this node (under the
   * executor's OCF root) are checked against their meta-data; one installed elsewhere only is
   * left to the nodes that run it (their probe reports it not installed), as a warning.
   */
  static InstalledAgents onThisNode(io.vigil.exec.AgentExecutor executor, String node) {
    return new InstalledAgents(executor, executor.config().ocfRoot(), node);
  }

  @Override
  public boolean canCheck(ResourceClass resourceClass) {
    return resourceClass == ResourceClass.OCF;
  }

  @Override
  public boolean canCheck(AgentRef agent) {
    if (fenceAgents.canCheck(agent)) return true;
    return canCheck(agent.resourceClass()) && !missingHere(agent);
  }

  @Override
  public Optional<String> uncheckedBecause(AgentRef agent) {
    if (!canCheck(agent.resourceClass()) || !missingHere(agent)) return Optional.empty();
    return Optional.of("is not installed on " + node + ", which checked this configuration; its parameters were not checked"
        + " (a node without it reports it not installed when it probes)");
  }

  /** Whether only agents installed here are checked and {@code agent} (OCF) is not. */
  private boolean missingHere(AgentRef agent) {
    if (ocfRoot == null) return false;
    java.nio.file.Path file = ocfRoot.resolve("resource.d").resolve(agent.provider()).resolve(agent.type());
    return !(java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.isExecutable(file));
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
