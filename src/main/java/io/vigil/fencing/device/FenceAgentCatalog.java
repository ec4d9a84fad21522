package io.vigil.fencing.device;

import io.vigil.config.AgentCatalog;
import io.vigil.model.AgentRef;
import io.vigil.model.ResourceClass;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the configuration checker may know about the fence agents installed on this host
 * ({@code stonith:fence_*}, Debian's fence-agents): their parameters from their {@code metadata}
 * action, run with a timeout and cached per agent (per executable and modification time, so an
 * upgraded package is read again; a failed or timed-out call is cached too, so a hanging agent
 * costs one timeout, not one per apply). Built-in devices and {@code stonith:script} are not
 * described; other resource classes are left to other catalogs.
 */
public final class FenceAgentCatalog implements AgentCatalog {
  /** Parameters the cluster supplies itself (from the host map, per action), never required from the configuration. */
  private static final Set<String> SUPPLIED = Set.of("action", "plug", "port", "nodename");

  private final Path agentDir;
  private final ProcessRunner runner;
  private final Duration timeout;
  private final Map<Path, Lookup> cache = new HashMap<>();

  /** One metadata call's outcome for one version of an agent's executable. */
  record Lookup(FileTime modified, Optional<AgentMetadata> metadata, String problem) {}

  public FenceAgentCatalog(Path agentDir, ProcessRunner runner, Duration timeout) {
    this.agentDir = agentDir;
    this.runner = runner;
    this.timeout = timeout;
  }

  /** The catalog for this host: Debian's agent directory, the real process runner, 10 s per metadata call. */
  public static FenceAgentCatalog system() {
    return new FenceAgentCatalog(Path.of("/usr/sbin"), new GroupProcessRunner(), Duration.ofSeconds(10));
  }

  @Override
  public boolean canCheck(ResourceClass resourceClass) {
    return false; // by agent: only stonith:fence_* has metadata to ask
  }

  @Override
  public boolean canCheck(AgentRef agent) {
    return agent.resourceClass() == ResourceClass.STONITH && agent.type().startsWith("fence_");
  }

  @Override
  public Optional<AgentDescription> describe(AgentRef agent) {
    if (!canCheck(agent)) return Optional.empty();
    try {
      return lookup(agent).metadata().map(FenceAgentCatalog::describe);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public String notDescribed(AgentRef agent) {
    Path exe = executable(agent);
    if (!Files.isExecutable(exe)) return "is not installed on this host (no executable " + exe + "; Debian: apt-get install fence-agents)";
    Lookup l;
    synchronized (this) {
      l = cache.get(exe);
    }
    return l == null ? "gave no usable metadata" : "gave no usable metadata: " + l.problem();
  }

  /** The agent's parsed metadata, from the cache or one bounded call. */
  synchronized Lookup lookup(AgentRef agent) throws InterruptedException {
    Path exe = executable(agent);
    FileTime modified;
    try {
      modified = Files.isExecutable(exe) ? Files.getLastModifiedTime(exe) : null;
    } catch (IOException e) {
      modified = null;
    }
    if (modified == null) return new Lookup(null, Optional.empty(), "not installed");
    Lookup cached = cache.get(exe);
    if (cached != null && cached.modified().equals(modified)) return cached;
    Lookup fresh = call(agent, exe, modified);
    cache.put(exe, fresh);
    return fresh;
  }

  private Lookup call(AgentRef agent, Path exe, FileTime modified) throws InterruptedException {
    ProcessRunner.Outcome o = runner.run(List.of(exe.toString()), "action=metadata\n".getBytes(StandardCharsets.UTF_8),
        Map.of("PATH", DeviceFactory.DEFAULT_PATH), null, timeout);
    if (o.timedOut()) return new Lookup(modified, Optional.empty(), "metadata timed out after " + timeout.toMillis() + " ms");
    if (o.exitCode().orElse(-1) != 0) {
      return new Lookup(modified, Optional.empty(), "metadata exited with code " + o.exitCode().orElse(-1));
    }
    try {
      return new Lookup(modified, Optional.of(AgentMetadata.parse(agent.type(), o.stdout())), "");
    } catch (IllegalArgumentException e) {
      return new Lookup(modified, Optional.empty(), e.getMessage());
    }
  }

  private Path executable(AgentRef agent) {
    return agentDir.resolve(agent.type());
  }

  /**
   * The checker's view of fence-agents metadata: every parameter name (old names included, they
   * still work), the required ones without those the cluster supplies (action, plug/port from the
   * host map, nodename) and without deprecated names whose successor is required, and the old
   * names ({@code obsoletes}) as aliases of their successors.
   */
  public static AgentDescription describe(AgentMetadata md) {
    Map<String, String> aliases = new HashMap<>();
    md.parameters().values().forEach(p -> p.obsoletes().ifPresent(old -> aliases.put(old, p.name())));
    Set<String> required = md.parameters().values().stream()
        .filter(AgentMetadata.Parameter::required)
        .filter(p -> !SUPPLIED.contains(p.name()) && !SUPPLIED.contains(aliases.getOrDefault(p.name(), "")))
        .filter(p -> !(p.deprecated() && aliases.containsKey(p.name())))
        .map(AgentMetadata.Parameter::name)
        .collect(Collectors.toSet());
    return new AgentDescription(List.copyOf(md.parameters().keySet()), required, md.actions(), aliases);
  }
}
