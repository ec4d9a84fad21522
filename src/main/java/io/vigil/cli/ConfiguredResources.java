package io.vigil.cli;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import io.vigil.exec.Invocation;
import io.vigil.model.Clone;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Resolves {@code vigil agent run RESOURCE_ID ACTION -f cluster.yaml}: the primitive's agent,
 * parameters (secret ones read from their files), effective meta attributes and the action's
 * timeout exactly as the cluster would use them.
 */
final class ConfiguredResources implements AgentCommand.ResourceResolver {
  @Override
  public Invocation resolve(Path configFile, String resourceId, String action) throws ConfigException, IOException {
    ClusterConfig config = new ConfigLoader(AgentCatalog.NONE).load(configFile);
    Resource r = config.resource(resourceId).orElseThrow(() -> new IllegalArgumentException(
        configFile + " has no resource '" + resourceId + "'"
            + io.vigil.model.Suggest.hint(resourceId, config.resourcesById().keySet())));
    if (!(r instanceof Primitive p)) {
      throw new IllegalArgumentException("'" + resourceId + "' is a " + (r instanceof Clone ? "clone" : "group")
          + "; run one of its primitives: " + String.join(", ", r.primitives().stream().map(Primitive::id).toList()));
    }
    return io.vigil.exec.ConfiguredInvocation.of(config, p, p.id(), action, Duration.ZERO);
  }

  @Override
  public java.util.Set<String> secretParams(Path configFile, String resourceId) throws ConfigException {
    return new ConfigLoader(AgentCatalog.NONE).load(configFile).resource(resourceId)
        .filter(Primitive.class::isInstance).map(r -> ((Primitive) r).secretParams().keySet())
        .orElse(java.util.Set.of());
  }

}
