package io.vigil.exec;

import io.vigil.model.Durations;

import io.vigil.model.AgentRef;
import io.vigil.model.ResourceClass;

import io.vigil.exec.metadata.AgentMetadata;
import io.vigil.exec.metadata.MetadataException;
import io.vigil.exec.metadata.MetadataParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ocf-tester contract as a list of checks: meta-data is well-formed OCF, validate-all
 * succeeds (OCF and built-in agents only), monitor reports 7 when stopped, start/monitor/start-again succeed, (for promotable
 * agents: promote, monitor as promoted = 8, demote, monitor = 0), stop succeeds, monitor reports 7,
 * stop again succeeds. Every check runs even after a failure, so the table is complete.
 */
public final class AgentTester {

  /** One row of the table. */
  public record Check(String name, String expected, String actual, boolean pass, Optional<ExecResult> result) {}

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private final AgentRunner runner;

  public AgentTester(AgentRunner runner) {
    this.runner = runner;
  }

  /**
   * Runs the contract for {@code agent} as resource {@code instance} with {@code params};
   * {@code timeout} overrides the agent's advertised timeouts when present.
   */
  public List<Check> test(AgentRef agent, String instance, Map<String, String> params, Optional<Duration> timeout) {
    List<Check> checks = new ArrayList<>();
    ExecResult md = runner.run(Invocation.of(agent, instance, "meta-data", params, timeout.orElse(DEFAULT_TIMEOUT)));
    AgentMetadata meta = null;
    if (md.status() != ExecStatus.DONE || md.rc() != 0) {
      checks.add(new Check("meta-data well-formed", "rc 0 and OCF XML", describe(md), false, Optional.of(md)));
    } else {
      try {
        meta = MetadataParser.parse(agent.toString(), io.vigil.exec.metadata.MetadataCache.xmlPart(md.output()));
        checks.add(new Check("meta-data well-formed", "rc 0 and OCF XML",
            meta.parameters().size() + " parameters, " + meta.actions().size() + " actions", true, Optional.of(md)));
      } catch (MetadataException e) {
        checks.add(new Check("meta-data well-formed", "rc 0 and OCF XML", e.getMessage(), false, Optional.of(md)));
      }
    }
    boolean promotable = meta != null && meta.promotable();
    Map<String, String> cloneMeta = new LinkedHashMap<>();
    if (promotable) {
      cloneMeta.putAll(Map.of("clone_max", "1", "clone_node_max", "1", "promoted_max", "1",
          "promoted_node_max", "1", "master_max", "1", "master_node_max", "1", "promotable", "true"));
    }
    AgentMetadata m = meta;
    Step step = (label, action, expectedRc, extraMeta) -> {
      Map<String, String> metaAttrs = new LinkedHashMap<>(cloneMeta);
      metaAttrs.putAll(extraMeta);
      Duration t = timeout.orElseGet(() -> advertised(m, action));
      ExecResult r = runner.run(new Invocation(agent, instance, action, params, metaAttrs, t, Duration.ZERO));
      boolean pass = r.status() == ExecStatus.DONE && r.rc() == expectedRc;
      checks.add(new Check(label, expectedRc + " " + OcfRc.name(expectedRc), describe(r), pass, Optional.of(r)));
    };
    // LSB scripts and systemd units have no validate-all; their contract starts at monitor.
    if (agent.resourceClass() == ResourceClass.OCF || agent.resourceClass() == ResourceClass.BUILTIN) {
      step.run("validate-all", "validate-all", OcfRc.SUCCESS, Map.of());
    }
    step.run("monitor when stopped", "monitor", OcfRc.NOT_RUNNING, Map.of());
    step.run("start", "start", OcfRc.SUCCESS, Map.of());
    step.run("monitor when started", "monitor", OcfRc.SUCCESS, Map.of());
    step.run("start again", "start", OcfRc.SUCCESS, Map.of());
    if (promotable) {
      step.run("promote", "promote", OcfRc.SUCCESS, Map.of());
      step.run("monitor as promoted", "monitor", OcfRc.RUNNING_PROMOTED, Map.of("role", "Promoted"));
      step.run("demote", "demote", OcfRc.SUCCESS, Map.of());
      step.run("monitor after demote", "monitor", OcfRc.SUCCESS, Map.of());
    }
    step.run("stop", "stop", OcfRc.SUCCESS, Map.of());
    step.run("monitor when stopped again", "monitor", OcfRc.NOT_RUNNING, Map.of());
    step.run("stop again", "stop", OcfRc.SUCCESS, Map.of());
    return checks;
  }

  @FunctionalInterface
  private interface Step {
    void run(String label, String action, int expectedRc, Map<String, String> extraMeta);
  }

  private static Duration advertised(AgentMetadata meta, String action) {
    if (meta == null) {
      return DEFAULT_TIMEOUT;
    }
    return meta.action(action).flatMap(a -> a.timeout()).filter(d -> !d.isZero()).orElse(DEFAULT_TIMEOUT);
  }

  private static String describe(ExecResult r) {
    String reason = r.exitReason();
    return switch (r.status()) {
      case DONE -> r.rc() + " " + r.rcName() + (reason.isEmpty() ? "" : " (" + reason + ")");
      case TIMED_OUT -> "timed out after " + Durations.format(r.invocation().timeout());
      default -> r.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + r.detail();
    };
  }
}
