package io.vigil.agents.ip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Locates the external programs the {@code ip} type drives; absent ones are reported on use. */
public record Tools(String ip, Optional<String> arping, Optional<String> sendUa) {

  /** Searches PATH plus the sbin and resource-agents directories daemons often lack in PATH. */
  public static Tools locate() {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(":")) {
      if (!d.isBlank()) {
        dirs.add(Path.of(d));
      }
    }
    for (String d : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/libexec/heartbeat",
        "/usr/lib/heartbeat")) {
      dirs.add(Path.of(d));
    }
    return new Tools(find(dirs, "ip").orElse("ip"), find(dirs, "arping"), find(dirs, "send_ua"));
  }

  private static Optional<String> find(List<Path> dirs, String name) {
    return dirs.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst().map(Path::toString);
  }
}
