package io.vigil.fencing.device;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A device run through the fence-agents convention: a Debian {@code /usr/sbin/fence_*} agent or any
 * compliant script, argv = the executable alone, parameters and secrets as key=value lines on stdin.
 */
public final class AgentDevice implements FenceDevice {
  private final String id;
  private final Path executable;
  private final Map<String, String> params;
  private final Secrets secrets;
  private final DeviceSettings settings;
  private final ProcessRunner runner;

  public AgentDevice(String id, Path executable, Map<String, String> params, Secrets secrets,
      DeviceSettings settings, ProcessRunner runner) {
    this.id = id;
    this.executable = executable;
    this.params = Map.copyOf(params);
    this.secrets = secrets;
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

  public Path executable() {
    return executable;
  }

  @Override
  public FenceResult run(FenceAction action, String node, Duration timeout) throws InterruptedException {
    byte[] stdin;
    try {
      stdin = AgentProtocol.stdin(action, node, node == null ? null : settings.portFor(node), params, secrets);
    } catch (IllegalArgumentException e) {
      return FenceResult.failed("fence device '" + id + "': " + e.getMessage(), Duration.ZERO);
    }
    ProcessRunner.Outcome o = runner.run(List.of(executable.toString()), stdin, Map.of(), null, timeout);
    return AgentProtocol.interpret(action, o, secrets);
  }

  @Override
  public String toString() {
    return "AgentDevice[" + id + ", " + executable + "]";
  }
}
