package io.vigil.exec;

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
 * The invocation the cluster gives a configured primitive: its agent, parameters (secret ones
 * read from their files now, never stored), effective meta attributes, clone instance number and
 * the configured timeout. Used by the coordinator and by {@code vigil agent run RESOURCE}, so a
 * run by hand equals a run by the cluster.
 */
public final class ConfiguredInvocation {
  private static final Duration FALLBACK_TIMEOUT = Duration.ofSeconds(20);

  private ConfiguredInvocation() {}

  /**
   * @param instance the primitive's id, or a clone instance {@code id:N}
   * @throws IOException when a secret file cannot be read (the message names the file, never its content)
   */
  public static Invocation of(ClusterConfig config, Primitive p, String instance, String action, Duration interval)
      throws IOException {
    return of(config, p, instance, action, interval, Map.of());
  }

  /**
   * As {@link #of(ClusterConfig, Primitive, String, String, Duration)}, with meta attributes the
   * cluster adds for this one action (a notification's {@code notify_*} variables).
   */
  public static Invocation of(ClusterConfig config, Primitive p, String instance, String action, Duration interval,
      Map<String, String> actionMeta) throws IOException {
    Map<String, String> params = new LinkedHashMap<>(p.params());
    for (var s : p.secretParams().entrySet()) params.put(s.getKey(), readSecret(p.id(), s.getKey(), s.getValue()));
    Map<String, String> meta = new LinkedHashMap<>(config.effectiveMeta(p.id()).values());
    Optional<Clone> clone = enclosingClone(config, p);
    if (clone.isPresent()) {
      meta.put("clone", instance.startsWith(p.id() + ":") ? instance.substring(p.id().length() + 1) : "0");
      // What Pacemaker always passes a clone's agent, defaults included: agents read them (Stateful
      // keeps one state file per node when globally_unique is false, drbd checks master_max).
      meta.putIfAbsent("clone-max", String.valueOf(config.nodes().size()));
      meta.putIfAbsent("clone-node-max", "1");
      meta.putIfAbsent("globally-unique", "false");
      meta.putIfAbsent("notify", "false");
      if (clone.get().promotable()) {
        meta.putIfAbsent("promoted-max", "1");
        meta.putIfAbsent("promoted-node-max", "1");
        meta.putIfAbsent("master-max", meta.get("promoted-max"));
        meta.putIfAbsent("master-node-max", meta.get("promoted-node-max"));
      }
    }
    meta.putAll(actionMeta);
    return new Invocation(p.agent(), instance, action, params, meta, timeout(config, p, action, interval), interval);
  }

  /** The operation's timeout for this action (same interval first), else the defaults', else 20 s. */
  public static Duration timeout(ClusterConfig config, Primitive p, String action, Duration interval) {
    return p.operations().stream()
        .filter(op -> op.name().equals(action) && op.timeout().isPresent())
        .min(Comparator.comparing((Operation op) -> !op.interval().equals(interval)).thenComparing(Operation::interval))
        .flatMap(Operation::timeout)
        .or(() -> config.operationDefaults().get(OpDefaults.TIMEOUT))
        .orElse(FALLBACK_TIMEOUT);
  }

  private static Optional<Clone> enclosingClone(ClusterConfig config, Primitive p) {
    Map<String, Resource> parents = config.parents();
    for (Resource r = parents.get(p.id()); r != null; r = parents.get(r.id())) {
      if (r instanceof Clone c) return Optional.of(c);
    }
    return Optional.empty();
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
