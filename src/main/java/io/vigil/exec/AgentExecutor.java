package io.vigil.exec;

import io.vigil.model.AgentRef;
import io.vigil.model.ResourceClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The real {@link AgentRunner}: OCF scripts, LSB init scripts, systemd units (through
 * systemctl) and built-in Java agents. An optional command prefix wraps OCF and LSB agents, e.g.
 * {@code ip netns exec NS} to run them inside a network namespace.
 */
public final class AgentExecutor implements AgentRunner {
  private final ExecConfig config;
  private final BuiltinRegistry builtins;
  private final ProcessRunner processes;
  private final InstantSource clock;
  private final LongSupplier nanoTicker;
  private final String nodeName;
  private final List<String> commandPrefix;
  private final ActionObserver observer;
  private final ResourceCgroups cgroups;

  public AgentExecutor(ExecConfig config, BuiltinRegistry builtins, InstantSource clock,
      LongSupplier nanoTicker, String nodeName, List<String> commandPrefix) {
    this(config, builtins, clock, nanoTicker, nodeName, commandPrefix, ActionObserver.NONE, null);
  }

  private AgentExecutor(ExecConfig config, BuiltinRegistry builtins, InstantSource clock,
      LongSupplier nanoTicker, String nodeName, List<String> commandPrefix, ActionObserver observer,
      ResourceCgroups cgroups) {
    this.observer = observer;
    this.cgroups = cgroups;
    this.config = config;
    this.builtins = builtins;
    this.clock = clock;
    this.nanoTicker = nanoTicker;
    this.nodeName = nodeName;
    this.commandPrefix = List.copyOf(commandPrefix);
    this.processes = new ProcessRunner(clock, nanoTicker, config.killGrace(), config.reaper());
  }

  /** An executor on the system clock, for this host's name, without a command prefix. */
  public static AgentExecutor system(ExecConfig config, BuiltinRegistry builtins) {
    return new AgentExecutor(config, builtins, InstantSource.system(), System::nanoTime, hostName(), List.of());
  }

  /** The same executor running OCF and LSB agents behind {@code prefix} (e.g. ip netns exec NS). */
  public AgentExecutor withCommandPrefix(List<String> prefix) {
    return new AgentExecutor(config, builtins, clock, nanoTicker, nodeName, prefix, observer, cgroups);
  }

  /** The same executor telling {@code o} about every finished action (see {@link ActionObserver}). */
  public AgentExecutor withObserver(ActionObserver o) {
    return new AgentExecutor(config, builtins, clock, nanoTicker, nodeName, commandPrefix, o, cgroups);
  }

  /** The same executor running OCF and LSB agents in their resource's cgroup of {@code c} (see {@link ResourceCgroups}). */
  public AgentExecutor withCgroups(ResourceCgroups c) {
    return new AgentExecutor(config, builtins, clock, nanoTicker, nodeName, commandPrefix, observer, c);
  }

  public ExecConfig config() {
    return config;
  }

  public BuiltinRegistry builtins() {
    return builtins;
  }

  public String nodeName() {
    return nodeName;
  }

  @Override
  public ExecResult run(Invocation inv) {
    return switch (inv.agent().resourceClass()) {
      case OCF -> runOcf(inv);
      case LSB -> runLsb(inv);
      case SYSTEMD -> runSystemd(inv);
      case BUILTIN -> runBuiltin(inv);
      case SERVICE -> SystemdUnits.unavailableReason().isEmpty() ? runSystemd(inv) : runLsb(inv);
      case STONITH -> notInstalled(inv, STONITH_HERE);
    };
  }

  private static final String STONITH_HERE =
      "stonith agents are fence devices: they are run by the fencer (vigil fence), not as resource agents";

  /** The environment an OCF invocation gets (what {@code vigil agent run --env} shows). */
  public Map<String, String> environment(Invocation inv) {
    return inv.agent().resourceClass() == ResourceClass.OCF
        ? OcfEnvironment.build(inv, config, nodeName)
        : OcfEnvironment.plain(config);
  }

  /** Where an OCF or LSB agent's executable is expected. */
  public Path agentPath(AgentRef ref) {
    return switch (ref.resourceClass()) {
      case OCF -> config.ocfRoot().resolve("resource.d").resolve(ref.provider()).resolve(ref.type());
      case LSB, SERVICE -> config.lsbRoot().resolve(ref.type());
      default -> throw new IllegalArgumentException(ref + " is not a script agent");
    };
  }

  /** Empty when the agent is installed, else why not ("agent not installed: looked for ..."). */
  public Optional<String> notInstalledReason(AgentRef ref) {
    return switch (ref.resourceClass()) {
      case OCF, LSB -> {
        Path p = agentPath(ref);
        if (!Files.isRegularFile(p)) {
          yield Optional.of("agent not installed: looked for " + p);
        }
        yield Files.isExecutable(p) ? Optional.empty()
            : Optional.of("agent " + ref + " at " + p + " is not executable");
      }
      case SYSTEMD -> SystemdUnits.unavailableReason();
      case BUILTIN -> builtins.find(ref.type()).isPresent() ? Optional.empty()
          : Optional.of("no builtin agent '" + ref.type() + "': known types are " + builtins.all().keySet());
      case SERVICE -> SystemdUnits.unavailableReason().isEmpty() ? Optional.empty()
          : notInstalledReason(new AgentRef(ResourceClass.LSB, "", ref.type()));
      case STONITH -> Optional.of(STONITH_HERE);
    };
  }

  private ExecResult runOcf(Invocation inv) {
    Optional<String> missing = notInstalledReason(inv.agent());
    if (missing.isPresent()) {
      return notInstalled(inv, missing.get());
    }
    return runScript(inv, inv.action(), OcfEnvironment.build(inv, config, nodeName), rc -> rc);
  }

  private ExecResult runLsb(Invocation inv) {
    Optional<String> missing = notInstalledReason(inv.agent());
    if (missing.isPresent()) {
      return notInstalled(inv, missing.get());
    }
    if (inv.action().equals("meta-data")) {
      return instant(inv, OcfRc.SUCCESS, lsbMetadata(inv.agent().type()));
    }
    String action = LsbRc.lsbAction(inv.action());
    return runScript(inv, action, OcfEnvironment.plain(config), rc -> LsbRc.toOcf(action, rc));
  }

  private ExecResult runScript(Invocation inv, String action, Map<String, String> env,
      java.util.function.IntUnaryOperator mapRc) {
    List<String> argv = new ArrayList<>(commandPrefix);
    argv.add(agentPath(inv.agent()).toString());
    argv.add(action);
    java.nio.file.Path cgroup = cgroupOf(inv);
    ProcessRunner.Outcome o = processes.run(argv, env, timeoutOf(inv), tailOf(inv), cgroup);
    ExecResult r = fromOutcome(inv, o, mapRc);
    observer.finished(r, o.pid() > 1 ? o.pid() : 0, cgroup);
    return r;
  }

  /** The resource's cgroup, or null (no cgroups, or it cannot be made: the process group still tracks the action). */
  private java.nio.file.Path cgroupOf(Invocation inv) {
    if (cgroups == null || !processes.reaping()) return null;
    try {
      return cgroups.forResource(inv.resourceId());
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private ExecResult runSystemd(Invocation inv) {
    Optional<String> missing = SystemdUnits.unavailableReason();
    if (missing.isPresent()) {
      return notInstalled(inv, missing.get());
    }
    String unit = SystemdUnits.unitName(inv.agent().type());
    if (inv.action().equals("meta-data")) {
      return instant(inv, OcfRc.SUCCESS, SystemdUnits.metadataXml(unit));
    }
    String systemctl = ProcessRunner.which("systemctl").orElseThrow().toString();
    ProcessRunner.Outcome load = processes.run(
        List.of(systemctl, "show", "-p", "LoadState", "--value", unit), OcfEnvironment.plain(config),
        timeoutOf(inv), 4096);
    if (load.output().strip().equals("not-found")) {
      return notInstalled(inv, "agent not installed: systemd has no unit " + unit);
    }
    return switch (inv.action()) {
      case "start", "stop", "restart", "reload" -> fromOutcome(inv, processes.run(
          List.of(systemctl, inv.action(), unit), OcfEnvironment.plain(config), timeoutOf(inv), tailOf(inv)),
          rc -> rc == 0 ? OcfRc.SUCCESS : OcfRc.ERR_GENERIC);
      case "monitor", "status" -> {
        ProcessRunner.Outcome o = processes.run(List.of(systemctl, "is-active", unit),
            OcfEnvironment.plain(config), timeoutOf(inv), tailOf(inv));
        yield fromOutcome(inv, o, rc -> SystemdUnits.monitorRc(o.output()));
      }
      case "validate-all" -> instant(inv, OcfRc.SUCCESS, "");
      default -> instant(inv, OcfRc.ERR_UNIMPLEMENTED, "systemd units support start, stop, monitor, status, restart, reload");
    };
  }

  private ExecResult runBuiltin(Invocation inv) {
    Optional<BuiltinAgent> agent = builtins.find(inv.agent().type());
    if (agent.isEmpty()) {
      return notInstalled(inv, notInstalledReason(inv.agent()).orElse("unknown builtin agent"));
    }
    if (inv.action().equals("meta-data")) {
      return instant(inv, OcfRc.SUCCESS, agent.get().metadataXml());
    }
    Instant started = clock.instant();
    long t0 = nanoTicker.getAsLong();
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text, true);
    FutureTask<Integer> task = new FutureTask<>(() -> agent.get().run(inv, out));
    Thread worker = Thread.ofVirtual().name("builtin-" + inv.resourceId() + "-" + inv.action()).start(task);
    int rc;
    ExecStatus status = ExecStatus.DONE;
    String detail = "";
    try {
      rc = task.get(timeoutOf(inv).toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      worker.interrupt();
      rc = OcfRc.TIMEOUT;
      status = ExecStatus.TIMED_OUT;
      detail = "did not finish within " + ProcessRunner.format(timeoutOf(inv)) + "; interrupted";
    } catch (ExecutionException e) {
      rc = OcfRc.ERR_GENERIC;
      status = ExecStatus.ERROR;
      detail = "builtin agent failed: " + e.getCause();
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
      rc = OcfRc.ERR_GENERIC;
      status = ExecStatus.ERROR;
      detail = "interrupted";
    }
    String output = text.toString();
    boolean truncated = output.length() > tailOf(inv);
    if (truncated) {
      output = output.substring(output.length() - tailOf(inv));
    }
    ExecResult r = new ExecResult(inv, rc, status, started, Duration.ofNanos(nanoTicker.getAsLong() - t0),
        output, truncated, detail);
    observer.finished(r, 0, null);
    return r;
  }

  private ExecResult fromOutcome(Invocation inv, ProcessRunner.Outcome o, java.util.function.IntUnaryOperator mapRc) {
    if (o.timedOut()) {
      return new ExecResult(inv, OcfRc.TIMEOUT, ExecStatus.TIMED_OUT, o.started(), o.duration(),
          o.output(), o.outputTruncated(), o.detail());
    }
    if (o.exitCode() < 0 || !o.detail().isEmpty()) {
      return new ExecResult(inv, OcfRc.ERR_GENERIC, ExecStatus.ERROR, o.started(), o.duration(),
          o.output(), o.outputTruncated(), o.detail());
    }
    int marker = o.output().lastIndexOf(EXEC_FAILED);
    if ((o.exitCode() == 126 || o.exitCode() == 127) && marker >= 0) {
      // The wrapper could not exec the agent (e.g. its #! interpreter is missing): as Pacemaker
      // maps ENOENT/EACCES from exec, "not installed" or "insufficient privileges".
      String why = o.output().substring(marker).strip();
      return o.exitCode() == 127
          ? new ExecResult(inv, OcfRc.ERR_INSTALLED, ExecStatus.NOT_INSTALLED, o.started(), o.duration(),
              o.output(), o.outputTruncated(), why)
          : new ExecResult(inv, OcfRc.ERR_PERM, ExecStatus.ERROR, o.started(), o.duration(),
              o.output(), o.outputTruncated(), why);
    }
    return new ExecResult(inv, mapRc.applyAsInt(o.exitCode()), ExecStatus.DONE, o.started(), o.duration(),
        o.output(), o.outputTruncated(), "");
  }

  private static final String EXEC_FAILED = "vigil: cannot execute ";

  private ExecResult notInstalled(Invocation inv, String why) {
    return new ExecResult(inv, OcfRc.ERR_INSTALLED, ExecStatus.NOT_INSTALLED, clock.instant(), Duration.ZERO,
        "", false, why);
  }

  private ExecResult instant(Invocation inv, int rc, String output) {
    return new ExecResult(inv, rc, ExecStatus.DONE, clock.instant(), Duration.ZERO, output, false, "");
  }

  private static Duration timeoutOf(Invocation inv) {
    return inv.timeout();
  }

  private int tailOf(Invocation inv) {
    return inv.action().equals("meta-data") ? config.metadataOutputBytes() : config.outputTailBytes();
  }

  private static String lsbMetadata(String script) {
    String s = script.replace("&", "&amp;").replace("<", "&lt;");
    return """
        <?xml version="1.0"?>
        <resource-agent name="%s" version="1.0">
          <version>1.1</version>
          <longdesc lang="en">LSB init script %s</longdesc>
          <shortdesc lang="en">LSB init script %s</shortdesc>
          <parameters/>
          <actions>
            <action name="start" timeout="15s"/>
            <action name="stop" timeout="15s"/>
            <action name="status" timeout="15s"/>
            <action name="restart" timeout="15s"/>
            <action name="monitor" timeout="15s" interval="15s"/>
            <action name="meta-data" timeout="5s"/>
          </actions>
        </resource-agent>
        """.formatted(s, s, s);
  }

  /** This host's name, as agents get it in OCF_RESKEY_CRM_meta_on_node. */
  public static String hostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
