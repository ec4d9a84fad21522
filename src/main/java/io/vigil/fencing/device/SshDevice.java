package io.vigil.fencing.device;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.FenceResult.Outcome;
import io.vigil.fencing.FenceResult.Power;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Built-in {@code stonith:ssh}: logs in with a key ({@code BatchMode}, never a password) to the node's mapped
 * host and reboots or powers it off. The remote command is detached and delayed by one second so the session
 * ends with exit 0 before the kernel goes down; success therefore means "accepted", not "observed off".
 *
 * <p>Parameters: {@code identity_file} (path of the private key), {@code user} (default root),
 * {@code port} (ssh port, default 22), {@code host} (probed by a node-less monitor). Host for a node: its
 * pcmk_host_map entry, else the node name.
 */
public final class SshDevice implements FenceDevice {
  static final String REMOTE_REBOOT = "nohup sh -c 'sleep 1; reboot -nf' >/dev/null 2>&1 &";
  static final String REMOTE_OFF = "nohup sh -c 'sleep 1; poweroff -nf' >/dev/null 2>&1 &";
  private final String id;
  private final Path ssh;
  private final Map<String, String> params;
  private final DeviceSettings settings;
  private final ProcessRunner runner;
  private final Map<String, String> env;

  public SshDevice(String id, Path ssh, Map<String, String> params, DeviceSettings settings, ProcessRunner runner,
      Map<String, String> env) {
    this.id = id;
    this.ssh = ssh;
    this.params = Map.copyOf(params);
    this.settings = settings;
    this.runner = runner;
    this.env = Map.copyOf(env);
  }

  /** validate-all, and monitor without a {@code host} to probe: the key is readable and port/user are sane. */
  private FenceResult checkParams() {
    String key = params.get("identity_file");
    if (key != null && !java.nio.file.Files.isReadable(Path.of(key))) {
      return FenceResult.failed("ssh device '" + id + "': identity_file " + key + " is missing or unreadable", Duration.ZERO);
    }
    if (!params.getOrDefault("port", "22").matches("\\d{1,5}")) {
      return FenceResult.failed("ssh device '" + id + "': port '" + params.get("port") + "' is not a number", Duration.ZERO);
    }
    if (params.getOrDefault("user", "root").startsWith("-")) {
      return FenceResult.failed("ssh device '" + id + "': user starts with '-'", Duration.ZERO);
    }
    return FenceResult.success("parameters valid", Duration.ZERO);
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
    String remote = switch (action) {
      case REBOOT -> REMOTE_REBOOT;
      case OFF -> REMOTE_OFF;
      case STATUS, MONITOR -> "true";
      case VALIDATE_ALL -> null;
      default -> "";
    };
    if (remote == null || (action == FenceAction.MONITOR && node == null && !params.containsKey("host"))) {
      return checkParams();
    }
    if (remote.isEmpty()) return FenceResult.failed("ssh device cannot " + action.wire(), Duration.ZERO);
    if (node == null && action != FenceAction.MONITOR) return FenceResult.failed(action + " needs a node", Duration.ZERO);
    String host = node == null ? params.get("host") : settings.portFor(node);
    if (host.startsWith("-")) return FenceResult.failed("host '" + host + "' starts with '-'", Duration.ZERO);
    List<String> argv = new ArrayList<>(List.of(ssh.toString(), "-o", "BatchMode=yes", "-o",
        "ConnectTimeout=" + Math.max(1, timeout.toSeconds() / 2), "-o", "StrictHostKeyChecking=yes"));
    if (params.containsKey("identity_file")) argv.addAll(List.of("-i", params.get("identity_file")));
    argv.addAll(List.of("-l", params.getOrDefault("user", "root"), "-p", params.getOrDefault("port", "22")));
    argv.addAll(List.of("--", host, remote));
    ProcessRunner.Outcome o = runner.run(argv, new byte[0], env, null, timeout);
    FenceResult r = AgentProtocol.interpret(action == FenceAction.STATUS ? FenceAction.MONITOR : action, o, Secrets.NONE);
    if (action == FenceAction.STATUS && r.succeeded()) {
      return new FenceResult(Outcome.SUCCESS, Optional.of(Power.ON), OptionalInt.of(0), "reachable over ssh", "", r.duration());
    }
    if (o.exitCode().orElse(0) == 255) {
      return new FenceResult(r.outcome(), Optional.empty(), o.exitCode(),
          "ssh to '" + host + "' failed (exit 255: connection or authentication)", "", r.duration());
    }
    return r;
  }
}
