package io.vigil.cluster.daemon;

import io.vigil.agents.ip.Addresses;
import io.vigil.agents.ip.IpParams;
import io.vigil.exec.ActionObserver;
import io.vigil.exec.ExecResult;
import io.vigil.exec.Invocation;
import io.vigil.exec.ProcTable;
import io.vigil.exec.ResourceCgroups;
import io.vigil.fencing.watchdog.SelfFencer;
import io.vigil.model.ResourceClass;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the self-fencer what each resource leaves running: after a start (or promote) of an OCF/LSB agent,
 * the resource's cgroup if something lives in it (nothing the agent started can leave it, a daemon
 * that calls setsid included) and the agent's process group if something still lives in it (a service
 * the agent started in the background stays in that group unless it calls setsid itself); after a start
 * of {@code builtin:ip}, its address. A successful stop, or a probe or monitor that finds the resource not running (rc 7), releases
 * them. systemd units and other built-in types are not caught (their processes are not the agent's children).
 */
final class SupervisedResources implements ActionObserver {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisedResources.class);
  private static final Set<String> STARTING = Set.of("start", "promote", "migrate_from");
  private static final int OCF_NOT_RUNNING = 7;
  private final SelfFencer fencer;

  SupervisedResources(SelfFencer fencer) {
    this.fencer = fencer;
  }

  @Override
  public void finished(ExecResult r, long processGroup, Path cgroup) {
    Invocation inv = r.invocation();
    String id = inv.resourceId();
    try {
      if (STARTING.contains(inv.action())) {
        if (isIp(inv)) {
          if (r.rc() != 0) return; // a failed start removed what it added
          IpParams p = IpParams.parse(id, inv.params());
          fencer.protectAddress(id, new SelfFencer.Address(p.netns().orElse(null), p.device(),
              Addresses.text(p.address()) + "/" + p.prefix()));
        } else {
          // The cgroup holds whatever the agent started, even a daemon that left the group; the
          // group is registered too, as before (and is all there is without cgroups).
          if (cgroup != null && ResourceCgroups.populated(cgroup)) fencer.protectCgroup(id, cgroup);
          if (processGroup > 1 && groupAlive(processGroup)) fencer.protectGroup(id, processGroup);
        }
      } else if (inv.action().equals("stop") && r.rc() == 0
          || (inv.action().equals("monitor") || inv.action().equals("status")) && r.rc() == OCF_NOT_RUNNING) {
        fencer.release(id);
        if (cgroup != null && inv.action().equals("stop")) ResourceCgroups.removeIfEmpty(cgroup);
      }
    } catch (IOException | RuntimeException e) {
      // Not registering weakens self-fencing for this resource; it must never fail the action itself.
      LOG.warn("self-fencing: cannot register what {} of {} left running: {}", inv.action(), id, e.getMessage());
    }
  }

  private static boolean isIp(Invocation inv) {
    return inv.agent().resourceClass() == ResourceClass.BUILTIN && inv.agent().type().equals("ip");
  }

  /** Whether a live process is in group {@code pgid}: an empty group's number may be reused by anything later. */
  private static boolean groupAlive(long pgid) {
    return ProcTable.snapshot().stream().anyMatch(p -> p.pgid() == pgid && !p.zombie());
  }
}
