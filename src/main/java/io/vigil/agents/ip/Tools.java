package io.vigil.agents.ip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Locates the external programs the {@code ip} type drives; absent ones are reported on use. */
public record Tools(String ip, Optional<String> arping, Optional<String> sendUa, Optional<String> ndisc6) {

  /** Without ndisc6 (IPv6 planned moves then fall back to DAD on the target). */
  public Tools(String ip, Optional<String> arping, Optional<String> sendUa) {
    this(ip, arping, sendUa, Optional.empty());
  }

  /**
   * Searches the system directories first (a root daemon should not run whatever an inherited
   * PATH offers), then resource-agents' helper directories, then PATH.
   */
  public static Tools locate() {
    List<Path> dirs = new ArrayList<>();
    for (String d : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/libexec/heartbeat",
        "/usr/lib/heartbeat")) {
      dirs.add(Path.of(d));
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(":")) {
      if (d.startsWith("/")) {
        dirs.add(Path.of(d));
      }
    }
    return new Tools(find(dirs, "ip").orElse("ip"), find(dirs, "arping"), find(dirs, "send_ua"),
        find(dirs, "ndisc6"));
  }

  private static Optional<String> find(List<Path> dirs, String name) {
    return dirs.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst().map(Path::toString);
  }
}
