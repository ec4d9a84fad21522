package io.vigil.agents.balancer.agent;

import io.vigil.agents.balancer.VirtualService;
import io.vigil.agents.balancer.ipvs.CommandRunner;
import io.vigil.agents.balancer.ipvs.IpvsCommands;
import io.vigil.agents.balancer.ipvs.IpvsService;
import io.vigil.exec.OcfRc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mode-ipvs virtual services this vigild keeps in step with their checks, by resource, and the
 * kernel around them: whether it has IPVS at all, and whether it holds a service of that address.
 * The kernel's table outlives the daemon; the checks do not, so a table entry no daemon manages is
 * reported by monitor (the cluster then stops and starts it, which rebuilds it under checks).
 */
final class RunningIpvs {
  private final Map<String, Entry> byResource = new TreeMap<>();
  private final CommandRunner runner;
  private final Path procIpVs;

  private record Entry(String configText, IpvsService service) {}

  /** Why it cannot run here, with the OCF code. */
  static final class NotHere extends Exception {
    final int rc;

    NotHere(int rc, String message) {
      super(message, null, false, false);
      this.rc = rc;
    }
  }

  RunningIpvs(CommandRunner runner, Path procIpVs) {
    this.runner = runner;
    this.procIpVs = procIpVs;
  }

  /** Runs {@code vs} as {@code resource} (the same configuration already running: nothing to do). */
  synchronized String start(String resource, String configText, VirtualService vs, java.util.function.Consumer<io.vigil.agents.balancer.BalancerEvent> events)
      throws NotHere, InterruptedException {
    Entry old = byResource.get(resource);
    if (old != null && old.configText().equals(configText) && old.service().problem() == null) return "already running";
    requireKernel();
    if (old != null) {
      byResource.remove(resource);
      old.service().close();
    }
    if (inKernel(vs)) run(IpvsCommands.deleteService(vs)); // the replaced one, or one left by a daemon that is gone: rebuilt under checks
    IpvsService s = new IpvsService(vs, runner, events, java.time.InstantSource.system());
    try {
      s.start();
    } catch (IOException e) {
      s.close();
      throw new NotHere(OcfRc.ERR_GENERIC, e.getMessage());
    }
    byResource.put(resource, new Entry(configText, s));
    return "programmed " + IpvsCommands.create(vs).size() + " ipvsadm entries";
  }

  /** Removes the service from the kernel (also one no daemon manages); nothing there is success. */
  synchronized void stop(String resource, VirtualService vs) throws NotHere, InterruptedException {
    Entry e = byResource.remove(resource);
    if (e != null) e.service().close();
    if (Files.exists(procIpVs) && inKernel(vs)) run(IpvsCommands.deleteService(vs));
  }

  /** What monitor reports: whether {@code resource} runs here, and what is wrong with it (null: nothing). */
  record Check(boolean running, String problem) {}

  synchronized Check check(String resource, VirtualService vs) throws InterruptedException {
    Entry e = byResource.get(resource);
    boolean inKernel = Files.exists(procIpVs) && inKernel(vs);
    if (e == null) {
      return new Check(inKernel, inKernel ? "the kernel has virtual service " + IpvsCommands.endpoint(vs.listen())
          + " but this daemon does not keep it in step with its checks (the daemon restarted?); stop and start the resource to rebuild it"
          : null);
    }
    if (e.service().problem() != null) return new Check(true, "an ipvsadm command failed: " + e.service().problem());
    if (!inKernel) return new Check(true, "virtual service " + IpvsCommands.endpoint(vs.listen()) + " is no longer in the kernel's table");
    return new Check(true, null);
  }

  /** Up/down of each real server of {@code resource} by its checks. */
  synchronized Map<String, Boolean> health(String resource) {
    Entry e = byResource.get(resource);
    return e == null ? Map.of() : e.service().health();
  }

  private void requireKernel() throws NotHere, InterruptedException {
    if (!Files.exists(procIpVs)) {
      try {
        runner.run(List.of("modprobe", "ip_vs"));
      } catch (IOException e) {
        // said below
      }
    }
    if (!Files.exists(procIpVs)) {
      throw new NotHere(OcfRc.ERR_INSTALLED, "this kernel has no IPVS (" + procIpVs + " is missing and 'modprobe ip_vs' did not load it);"
          + " use mode proxy here");
    }
    try {
      runner.run(List.of(IpvsCommands.IPVSADM, "-v"));
    } catch (IOException e) {
      throw new NotHere(OcfRc.ERR_INSTALLED, "ipvsadm cannot run (" + e.getMessage() + "): install Debian's ipvsadm");
    }
  }

  private boolean inKernel(VirtualService vs) throws InterruptedException {
    try {
      runner.run(IpvsCommands.listService(vs));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void run(List<String> argv) throws NotHere, InterruptedException {
    try {
      runner.run(argv);
    } catch (IOException e) {
      throw new NotHere(OcfRc.ERR_GENERIC, e.getMessage());
    }
  }

  /** Stops every service's checks (daemon shutdown); the kernel keeps forwarding. */
  synchronized void close() {
    byResource.values().forEach(e -> e.service().close());
    byResource.clear();
  }
}
