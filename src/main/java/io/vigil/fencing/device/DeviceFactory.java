package io.vigil.fencing.device;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceResult;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Primitive;
import io.vigil.model.ResourceClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds devices from {@code stonith:*} primitives: {@code stonith:fence_*} runs {@code <agentDir>/fence_*},
 * {@code stonith:script} runs the executable in parameter {@code path}, and {@code ssh}, {@code http},
 * {@code lab} are built in.
 *
 * @param agentDir where fence_* agents live (/usr/sbin on Debian)
 * @param searchPath PATH used to find ssh and given to the programs devices run
 */
public record DeviceFactory(Path agentDir, String searchPath, ProcessRunner runner) {
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** The factory for this host: Debian's agent directory and the real process runner. */
  public static DeviceFactory system() {
    return new DeviceFactory(Path.of("/usr/sbin"), DEFAULT_PATH, new GroupProcessRunner());
  }

  /** Every fence device primitive of {@code config}, in order. */
  public static List<Primitive> devicesOf(ClusterConfig config) {
    return config.allResources().stream()
        .filter(r -> r instanceof Primitive p && p.agent().resourceClass() == ResourceClass.STONITH)
        .map(r -> (Primitive) r).toList();
  }

  /**
   * The settings ({@code pcmk_*}) of every fence device of {@code config} whose settings parse, by
   * id, in order; a device with broken settings is left out (it fences nothing). Reads no secret:
   * for what the topology could use, not for fencing.
   */
  public static Map<String, DeviceSettings> settingsOf(ClusterConfig config) {
    Map<String, DeviceSettings> settings = new LinkedHashMap<>();
    for (Primitive p : devicesOf(config)) {
      try {
        settings.put(p.id(), DeviceSettings.parse(p.id(), p.params()));
      } catch (IllegalArgumentException e) {
        // left out: the coverage check names the node nobody can fence
      }
    }
    return settings;
  }

  /**
   * The device for {@code p}; secrets are read from their files now.
   *
   * @throws IllegalArgumentException naming the device and what is wrong (unknown agent, missing file, bad pcmk_*)
   */
  public FenceDevice create(Primitive p) {
    if (p.agent().resourceClass() != ResourceClass.STONITH) {
      throw new IllegalArgumentException("resource '" + p.id() + "' is " + p.agent() + ", not a fence device (stonith:...)");
    }
    DeviceSettings settings = DeviceSettings.parse(p.id(), p.params());
    String type = p.agent().type();
    Map<String, String> env = Map.of("PATH", searchPath);
    return switch (type) {
      case "ssh" -> new SshDevice(p.id(), resolve("ssh"), p.params(), settings, runner, env);
      case "http" -> new HttpDevice(p.id(), p.params(), Secrets.read(p.id(), p.secretParams()), settings);
      case "lab" -> new LabDevice(p.id(), p.params(), settings, runner);
      case "script" -> {
        String path = p.params().get("path");
        if (path == null || !Path.of(path).isAbsolute()) {
          throw new IllegalArgumentException("fence device '" + p.id() + "': stonith:script needs 'path', an absolute path");
        }
        Map<String, String> rest = new LinkedHashMap<>(p.params());
        rest.remove("path");
        yield agent(p, Path.of(path), rest, settings);
      }
      default -> {
        if (!type.startsWith("fence_")) {
          throw new IllegalArgumentException("fence device '" + p.id() + "': unknown agent '" + p.agent()
              + "' (expected stonith:fence_<name>, stonith:script, stonith:ssh, stonith:http or stonith:lab)");
        }
        yield agent(p, agentDir.resolve(type), p.params(), settings);
      }
    };
  }

  private FenceDevice agent(Primitive p, Path exe, Map<String, String> params, DeviceSettings settings) {
    if (!Files.isExecutable(exe)) {
      throw new IllegalArgumentException("fence device '" + p.id() + "': agent " + exe + " is missing or not executable");
    }
    return new AgentDevice(p.id(), exe, params, Secrets.read(p.id(), p.secretParams()), settings, runner);
  }

  private Path resolve(String program) {
    for (String dir : searchPath.split(":")) {
      Path c = Path.of(dir, program);
      if (Files.isExecutable(c)) return c;
    }
    throw new IllegalArgumentException(program + " not found in " + searchPath);
  }

  /**
   * Checks a device before use: parameters against the agent's metadata (fence-agents devices; a
   * {@code stonith:script} without metadata is not checked), then {@code validate-all}. Returns every
   * problem; empty means usable.
   */
  public List<String> validate(Primitive p, Duration timeout) throws InterruptedException {
    List<String> problems = new ArrayList<>();
    FenceDevice d;
    try {
      d = create(p);
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
    if (d instanceof AgentDevice) {
      FenceResult meta = d.run(FenceAction.METADATA, null, timeout);
      boolean script = p.agent().type().equals("script");
      if (!meta.succeeded() && !script) {
        problems.add("fence device '" + p.id() + "': metadata failed: " + meta.summary());
      } else if (meta.succeeded()) {
        try {
          problems.addAll(AgentMetadata.parse(p.agent().type(), meta.output())
              .validate(p.id(), p.params().entrySet().stream().filter(e -> !e.getKey().equals("path"))
                  .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                  p.secretParams().keySet()));
        } catch (IllegalArgumentException e) {
          problems.add("fence device '" + p.id() + "': " + e.getMessage());
        }
      }
    }
    if (problems.isEmpty()) {
      FenceResult v = d.run(FenceAction.VALIDATE_ALL, null, timeout);
      if (!v.succeeded()) problems.add("fence device '" + p.id() + "': validate-all: " + v.summary());
    }
    return problems;
  }
}
