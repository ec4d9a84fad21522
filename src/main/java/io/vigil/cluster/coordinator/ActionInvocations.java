package io.vigil.cluster.coordinator;

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
 * Turns a planned action into the executor's invocation: the primitive's agent, parameters
 * (secret ones read from their files now, never stored), effective meta attributes, the clone
 * instance number and the configured timeout.
 */
final class ActionInvocations {
  private static final Duration FALLBACK_TIMEOUT = Duration.ofSeconds(20);

  private ActionInvocations() {}

  static Invocation of(ClusterConfig config, PlannedAction a) throws IOException {
    String base = StatusView.baseId(a.resource());
    Resource r = config.resource(base).orElseThrow(() -> new IllegalArgumentException(
        "resource '" + base + "' is not in configuration epoch being executed"));
    if (!(r instanceof Primitive p)) throw new IllegalArgumentException("'" + base + "' is not a primitive");
    Map<String, String> params = new LinkedHashMap<>(p.params());
    for (var s : p.secretParams().entrySet()) params.put(s.getKey(), readSecret(p.id(), s.getKey(), s.getValue()));
    Map<String, String> meta = new LinkedHashMap<>(config.effectiveMeta(p.id()).values());
    if (!base.equals(a.resource())) meta.put("clone", a.resource().substring(base.length() + 1));
    inClone(config, p).ifPresent(c -> meta.putIfAbsent("clone-max", String.valueOf(config.nodes().size())));
    Duration interval = Duration.ofMillis(a.intervalMs());
    return new Invocation(p.agent(), a.resource(), a.agentAction(), params, meta, timeout(config, p, a.agentAction(), interval),
        interval);
  }

  private static Optional<Clone> inClone(ClusterConfig config, Primitive p) {
    Optional<Resource> parent = config.parentOf(p.id());
    while (parent.isPresent()) {
      if (parent.get() instanceof Clone c) return Optional.of(c);
      parent = config.parentOf(parent.get().id());
    }
    return Optional.empty();
  }

  /** The operation's timeout for this action and interval, else any of its kind, else the defaults, else 20 s. */
  static Duration timeout(ClusterConfig config, Primitive p, String action, Duration interval) {
    return p.operations().stream()
        .filter(op -> op.name().equals(action) && op.timeout().isPresent())
        .min(Comparator.comparing((Operation op) -> !op.interval().equals(interval)).thenComparing(Operation::interval))
        .flatMap(Operation::timeout)
        .or(() -> config.operationDefaults().get(OpDefaults.TIMEOUT))
        .orElse(FALLBACK_TIMEOUT);
  }

  private static String readSecret(String resource, String param, String file) throws IOException {
    try {
      String s = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    } catch (IOException e) {
      throw new IOException("resource '" + resource + "': cannot read secret-params '" + param + "' from " + file);
    }
  }

  /** Whether rc is what the action is expected to return (probes may find it stopped or promoted). */
  static boolean succeeded(PlannedAction a, int rc) {
    return switch (a.kind()) {
      case "PROBE" -> rc == 0 || rc == 7 || rc == 8;
      case "MONITOR" -> rc == 0 || rc == 8;
      default -> rc == 0;
    };
  }
}
