package io.vigil.exec;

import io.vigil.model.AgentRef;
import io.vigil.model.ResourceClass;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Lists the agents installed on this node, per standard. */
public final class AgentCatalog {
  private final AgentExecutor executor;

  public AgentCatalog(AgentExecutor executor) {
    this.executor = executor;
  }

  /** The installed agents of one standard, sorted; systemd lists nothing where systemd does not run. */
  public List<AgentRef> list(ResourceClass standard) {
    List<AgentRef> out = new ArrayList<>();
    ExecConfig config = executor.config();
    switch (standard) {
      case OCF -> {
        for (Path provider : entries(config.ocfRoot().resolve("resource.d"))) {
          if (Files.isDirectory(provider)) {
            for (Path agent : entries(provider)) {
              addIfAgent(out, agent, () -> AgentRef.ocf(provider.getFileName().toString(),
                  agent.getFileName().toString()));
            }
          }
        }
      }
      case LSB -> {
        for (Path script : entries(config.lsbRoot())) {
          addIfAgent(out, script, () -> new AgentRef(ResourceClass.LSB, "", script.getFileName().toString()));
        }
      }
      case SYSTEMD -> {
        if (SystemdUnits.unavailableReason().isEmpty()) {
          out.addAll(systemdServices());
        }
      }
      case BUILTIN -> executor.builtins().all().keySet()
          .forEach(t -> out.add(new AgentRef(ResourceClass.BUILTIN, "", t)));
    }
    out.sort(java.util.Comparator.comparing(AgentRef::toString));
    return out;
  }

  private static void addIfAgent(List<AgentRef> out, Path file, java.util.function.Supplier<AgentRef> ref) {
    String name = file.getFileName().toString();
    if (name.startsWith(".") || !Files.isRegularFile(file) || !Files.isExecutable(file)) {
      return;
    }
    try {
      out.add(ref.get());
    } catch (IllegalArgumentException e) {
      // A file whose name is not a valid agent name (e.g. contains spaces) cannot be referenced.
    }
  }

  private List<AgentRef> systemdServices() {
    List<AgentRef> out = new ArrayList<>();
    String systemctl = ProcessRunner.which("systemctl").orElseThrow().toString();
    ProcessRunner runner = new ProcessRunner(java.time.InstantSource.system(), System::nanoTime, Duration.ofSeconds(1), false);
    ProcessRunner.Outcome o = runner.run(List.of(systemctl, "list-unit-files", "--type=service", "--no-legend", "--no-pager"),
        OcfEnvironment.plain(executor.config()), Duration.ofSeconds(20), 1 << 20);
    for (String line : o.output().split("\n")) {
      String unit = line.strip().split("\\s+")[0];
      if (unit.endsWith(".service") && !unit.contains("@.")) {
        try {
          out.add(new AgentRef(ResourceClass.SYSTEMD, "", unit.substring(0, unit.length() - ".service".length())));
        } catch (IllegalArgumentException e) {
          // Unit names with escapes are skipped: they cannot be written as agent names.
        }
      }
    }
    return out;
  }

  private static List<Path> entries(Path dir) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(out::add);
    } catch (IOException e) {
      // An unreadable directory lists as empty; the caller reports "no agents".
    }
    return out;
  }
}
