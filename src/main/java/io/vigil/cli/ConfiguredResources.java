package io.vigil.cli;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import io.vigil.exec.Invocation;
import io.vigil.model.Clone;
import io.vigil.model.ClusterConfig;
import io.vigil.model.OpDefaults;
import io.vigil.model.Operation;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves {@code vigil agent run RESOURCE_ID ACTION -f cluster.yaml}: the primitive's agent,
 * parameters (secret ones read from their files), effective meta attributes and the action's
 * timeout exactly as the cluster would use them.
 */
final class ConfiguredResources implements AgentCommand.ResourceResolver {
  private static final Duration FALLBACK_TIMEOUT = Duration.ofSeconds(20);

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
    Map<String, String> params = new LinkedHashMap<>(p.params());
    for (var secret : p.secretParams().entrySet()) params.put(secret.getKey(), readSecret(p.id(), secret.getKey(), secret.getValue()));
    Map<String, String> meta = new LinkedHashMap<>(config.effectiveMeta(p.id()).values());
    config.parentOf(p.id()).flatMap(parent -> parent instanceof Clone ? Optional.of(parent) : config.parentOf(parent.id()))
        .filter(Clone.class::isInstance)
        .ifPresent(clone -> meta.put("clone", "0"));
    return new Invocation(p.agent(), p.id(), action, params, meta,
        timeout(config, p, action), Duration.ZERO);
  }

  @Override
  public java.util.Set<String> secretParams(Path configFile, String resourceId) throws ConfigException {
    return new ConfigLoader(AgentCatalog.NONE).load(configFile).resource(resourceId)
        .filter(Primitive.class::isInstance).map(r -> ((Primitive) r).secretParams().keySet())
        .orElse(java.util.Set.of());
  }

  /** The configured timeout for an action: the operation's (one-shot first), the defaults', else 20 s. */
  static Duration timeout(ClusterConfig config, Primitive p, String action) {
    return p.operations().stream()
        .filter(op -> op.name().equals(action) && op.timeout().isPresent())
        .min(Comparator.comparing(Operation::interval))
        .flatMap(Operation::timeout)
        .or(() -> config.operationDefaults().get(OpDefaults.TIMEOUT))
        .orElse(FALLBACK_TIMEOUT);
  }

  private static String readSecret(String resource, String param, String file) throws IOException {
    try {
      String s = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    } catch (IOException e) {
      throw new IOException("resource '" + resource + "': cannot read secret-params '" + param + "' from " + file
          + " (" + e.getClass().getSimpleName().replace("Exception", "") + ")");
    }
  }
}
