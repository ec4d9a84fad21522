package io.vigil.agents.balancer.agent;

import io.vigil.agents.balancer.Balancer;
import io.vigil.agents.balancer.ConfigException;
import io.vigil.agents.balancer.VirtualService;
import io.vigil.agents.balancer.VirtualServiceYaml;
import io.vigil.exec.BuiltinAgent;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfEnvironment;
import io.vigil.exec.OcfMetadata;
import io.vigil.exec.OcfRc;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code builtin:balancer}: runs the virtual service of the YAML file named by parameter
 * {@code config} inside vigild's JVM (see docs/balancer.md for why not a child process). start
 * binds the listener and starts the checks (idempotent); stop closes the listener at once and lets
 * open connections drain for up to {@code proxy.drain-timeout} (at most half the stop's timeout)
 * before closing them (stopping what is not running succeeds); monitor answers OCF_SUCCESS while the
 * listener is open, OCF_NOT_RUNNING when this node does not run it.
 */
public final class BalancerBuiltinAgent implements BuiltinAgent {
  /** The one parameter: path of the virtual-service YAML ({@code vigil balancer check -f} reads the same). */
  public static final String CONFIG = "config";
  private final RunningBalancers running;
  private final RunningIpvs ipvs;

  /** An agent running its services in {@code running}, which the daemon's status and metrics read too. */
  public BalancerBuiltinAgent(RunningBalancers running) {
    this(running, io.vigil.agents.balancer.ipvs.CommandRunner.processes(java.time.Duration.ofSeconds(10)), Path.of("/proc/net/ip_vs"));
  }

  /** With the runner of ipvsadm (and modprobe) commands and the file that says the kernel has IPVS (tests). */
  BalancerBuiltinAgent(RunningBalancers running, io.vigil.agents.balancer.ipvs.CommandRunner ipvsRunner, Path procIpVs) {
    this.running = running;
    this.ipvs = new RunningIpvs(ipvsRunner, procIpVs);
  }

  @Override
  public String type() {
    return "balancer";
  }

  @Override
  public String metadataXml() {
    return OcfMetadata.of("balancer", "Layer-4 load balancer (virtual service)",
            "Runs one virtual service (user-space proxy, IPVS schedulers, health checks) inside vigild. Group it after "
                + "a builtin:ip address so the address and the service fail over together.")
        .param(CONFIG, true, "string", null, "Absolute path of the virtual-service YAML (see vigil balancer keys); "
            + "the same file must exist on every node that may run the resource")
        .standardActions("20s", "10s").toXml();
  }

  @Override
  public int run(Invocation inv, PrintWriter out) throws Exception {
    String resource = inv.resourceId();
    return switch (inv.action()) {
      case "start" -> start(resource, inv, out);
      case "stop" -> stop(resource, inv, out);
      case "monitor", "status" -> {
        Optional<Loaded> ipvsConfig = ipvsConfig(resource, inv);
        yield ipvsConfig.isPresent() ? monitorIpvs(resource, ipvsConfig.get().vs(), out) : monitor(resource, out);
      }
      case "validate-all" -> {
        try {
          load(resource, inv);
          yield OcfRc.SUCCESS;
        } catch (Refused r) {
          yield r.answer(out);
        }
      }
      case "notify", "reload" -> OcfRc.SUCCESS;
      default -> {
        out.println("builtin:balancer does not implement action '" + inv.action() + "'");
        yield OcfRc.ERR_UNIMPLEMENTED;
      }
    };
  }

  /** Half the operation's timeout at most goes to draining, so the stop itself never times out. */
  private int stop(String resource, Invocation inv, PrintWriter out) throws InterruptedException {
    Optional<Loaded> ipvsConfig = ipvsConfig(resource, inv);
    if (ipvsConfig.isPresent()) {
      try {
        ipvs.stop(resource, ipvsConfig.get().vs());
        out.println("balancer " + resource + " (mode ipvs) removed from the kernel");
        return OcfRc.SUCCESS;
      } catch (RunningIpvs.NotHere e) {
        out.println(OcfEnvironment.EXIT_REASON_PREFIX + "balancer " + resource + ": " + e.getMessage());
        return OcfRc.ERR_GENERIC;
      }
    }
    Optional<Balancer.Drained> d = running.stop(resource, inv.timeout().dividedBy(2));
    if (d.isEmpty()) {
      out.println("balancer " + resource + " was not running");
    } else if (d.get().openAtStop() == 0) {
      out.println("balancer " + resource + " stopped (no open connections)");
    } else if (d.get().closedAtTimeout() == 0) {
      out.println("balancer " + resource + " stopped: " + d.get().openAtStop() + " open connections drained in " + d.get().millis() + " ms");
    } else {
      out.println("balancer " + resource + " stopped: " + d.get().closedAtTimeout() + " of " + d.get().openAtStop()
          + " open connections were still open after the drain (" + d.get().millis() + " ms) and were closed");
    }
    return OcfRc.SUCCESS;
  }

  private int start(String resource, Invocation inv, PrintWriter out) throws InterruptedException {
    Loaded l;
    try {
      l = load(resource, inv);
    } catch (Refused r) {
      return r.answer(out);
    }
    if (l.vs().mode() == VirtualService.Mode.IPVS) {
      try {
        out.println("balancer " + resource + " (mode ipvs): " + ipvs.start(resource, l.text(), l.vs(), e -> running.report(resource, e)));
        return OcfRc.SUCCESS;
      } catch (RunningIpvs.NotHere e) {
        out.println(OcfEnvironment.EXIT_REASON_PREFIX + "balancer " + resource + ": " + e.getMessage());
        return e.rc;
      }
    }
    try {
      RunningBalancers.Started s = running.start(resource, l.text(), l.vs());
      running.snapshot(resource).ifPresent(snap -> out.println(switch (s) {
        case STARTED -> "started ";
        case ALREADY_RUNNING -> "already running: ";
        case RESTARTED_WITH_NEW_CONFIGURATION -> "configuration changed, restarted: ";
      } + BalancerReports.summary(snap)));
      return OcfRc.SUCCESS;
    } catch (IllegalStateException e) {
      out.println(OcfEnvironment.EXIT_REASON_PREFIX + "balancer " + resource + ": " + e.getMessage());
      return OcfRc.ERR_GENERIC;
    }
  }

  private int monitor(String resource, PrintWriter out) {
    Optional<BalancerSnapshot> s = running.snapshot(resource);
    if (s.isEmpty()) return OcfRc.NOT_RUNNING;
    if (!s.get().listening()) {
      out.println(OcfEnvironment.EXIT_REASON_PREFIX + "balancer " + resource + ": listener on " + s.get().listen() + " is closed");
      return OcfRc.ERR_GENERIC;
    }
    out.println(BalancerReports.summary(s.get()));
    return OcfRc.SUCCESS;
  }

  private int monitorIpvs(String resource, VirtualService vs, PrintWriter out) throws InterruptedException {
    RunningIpvs.Check c = ipvs.check(resource, vs);
    if (c.problem() != null) {
      out.println(OcfEnvironment.EXIT_REASON_PREFIX + "balancer " + resource + ": " + c.problem());
      return OcfRc.ERR_GENERIC;
    }
    if (!c.running()) return OcfRc.NOT_RUNNING;
    out.println("balancer " + resource + " (mode ipvs): real servers up by their checks " + ipvs.health(resource));
    return OcfRc.SUCCESS;
  }

  /** The configuration when it is a readable, valid mode-ipvs service (stop and monitor need its address); else empty. */
  private static Optional<Loaded> ipvsConfig(String resource, Invocation inv) {
    try {
      Loaded l = load(resource, inv);
      return l.vs().mode() == VirtualService.Mode.IPVS ? Optional.of(l) : Optional.empty();
    } catch (Refused r) {
      return Optional.empty();
    }
  }

  private record Loaded(String text, VirtualService vs) {}

  /** Why the configuration cannot run here, and the OCF code that says so. */
  private static final class Refused extends Exception {
    private final int rc;

    Refused(int rc, String reason) {
      super(reason, null, false, false);
      this.rc = rc;
    }

    int answer(PrintWriter out) {
      out.println(OcfEnvironment.EXIT_REASON_PREFIX + getMessage());
      return rc;
    }
  }

  /**
   * The validated virtual service. A file this node cannot read is OCF_ERR_INSTALLED (the cluster
   * tries another node); a bad parameter or file content is OCF_ERR_CONFIGURED (wrong everywhere).
   */
  private static Loaded load(String resource, Invocation inv) throws Refused {
    String config = inv.params().getOrDefault(CONFIG, "");
    String where = "balancer " + resource + ": parameter " + CONFIG;
    if (config.isBlank()) throw new Refused(OcfRc.ERR_CONFIGURED, where + " is missing, expected the path of a virtual-service YAML file");
    Path file = Path.of(config);
    if (!file.isAbsolute()) throw new Refused(OcfRc.ERR_CONFIGURED, where + " is '" + config + "', expected an absolute path");
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new Refused(OcfRc.ERR_INSTALLED, where + ": cannot read " + file + " on this node (" + e + ")");
    }
    VirtualService vs;
    try {
      vs = VirtualServiceYaml.parse(file.toString(), text);
    } catch (ConfigException | IllegalArgumentException e) {
      throw new Refused(OcfRc.ERR_CONFIGURED, "balancer " + resource + ": " + e.getMessage());
    }
    return new Loaded(text, vs);
  }
}
