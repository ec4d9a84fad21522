package io.vigil.fencing.device;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.FenceResult.Outcome;
import io.vigil.fencing.FenceResult.Power;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Built-in {@code stonith:lab}, for test beds of network namespaces: "power off" takes the node's link down
 * and kills every process in its namespace; "on" brings the link up. The namespace is the node's
 * pcmk_host_map entry (else the node name); {@code interface} names the link (default eth0).
 */
public final class LabDevice implements FenceDevice {
  private final String id;
  private final String iface;
  private final DeviceSettings settings;
  private final ProcessRunner runner;

  public LabDevice(String id, Map<String, String> params, DeviceSettings settings, ProcessRunner runner) {
    this.id = id;
    this.iface = params.getOrDefault("interface", "eth0");
    this.settings = settings;
    this.runner = runner;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public DeviceSettings settings() {
    return settings;
  }

  @Override
  public FenceResult run(FenceAction action, String node, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    if (action == FenceAction.VALIDATE_ALL || (action == FenceAction.MONITOR && node == null)) {
      ProcessRunner.Outcome list = ip(timeout, "netns", "list");
      return list.exitCode().orElse(-1) == 0 ? FenceResult.success("ip netns works", since(start))
          : failed("ip netns list", list, start);
    }
    if (node == null) return FenceResult.failed(action + " needs a node", Duration.ZERO);
    String ns = settings.portFor(node);
    switch (action) {
      case OFF, REBOOT -> {
        ProcessRunner.Outcome down = ip(timeout, "-n", ns, "link", "set", iface, "down");
        if (down.exitCode().orElse(-1) != 0) return failed("link down in " + ns, down, start);
        ProcessRunner.Outcome pids = ip(timeout, "netns", "pids", ns);
        List<String> argv = new ArrayList<>(List.of("kill", "-KILL", "--"));
        for (String p : pids.stdout().split("\\s+")) if (p.matches("\\d+")) argv.add(p);
        if (argv.size() > 3) runner.run(argv, new byte[0], Map.of(), null, timeout);
        return FenceResult.success("link " + iface + " of " + ns + " down, " + (argv.size() - 3) + " process(es) killed",
            since(start));
      }
      case ON -> {
        ProcessRunner.Outcome up = ip(timeout, "-n", ns, "link", "set", iface, "up");
        return up.exitCode().orElse(-1) == 0 ? FenceResult.success("link up", since(start)) : failed("link up in " + ns, up, start);
      }
      case STATUS, MONITOR -> {
        ProcessRunner.Outcome show = ip(timeout, "-n", ns, "-o", "link", "show", iface);
        if (show.exitCode().orElse(-1) != 0) return failed("status of " + ns, show, start);
        String flags = show.stdout().replaceAll("(?s)^[^<]*<([^>]*)>.*$", "$1");
        boolean up = List.of(flags.split(",")).contains("UP");
        return new FenceResult(Outcome.SUCCESS, Optional.of(up ? Power.ON : Power.OFF), OptionalInt.of(up ? 0 : 2),
            "link " + iface + " of " + ns + (up ? " up" : " down"), "", since(start));
      }
      default -> {
        return FenceResult.failed("lab device cannot " + action.wire(), Duration.ZERO);
      }
    }
  }

  private ProcessRunner.Outcome ip(Duration timeout, String... args) throws InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add("ip");
    argv.addAll(List.of(args));
    return runner.run(argv, new byte[0], Map.of(), null, timeout);
  }

  private static FenceResult failed(String what, ProcessRunner.Outcome o, long start) {
    return new FenceResult(o.timedOut() ? Outcome.TIMEOUT : Outcome.FAILED, Optional.empty(), o.exitCode(),
        what + " failed: " + o.stderr().strip(), "", since(start));
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
