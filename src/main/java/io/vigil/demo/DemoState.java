package io.vigil.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a running demo started, kept in {@code DIR/demo.json} so that {@code vigil demo --stop}
 * (another process, maybe much later) tears down exactly that: the daemons by pid (checked
 * against their command line before any signal), the namespaces, the directory, and the service's
 * account if the demo created it ({@code createdUser}).
 */
public record DemoState(String mode, String prefix, int nodes, long startedMillis, Map<String, Long> daemons, boolean createdUser) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public DemoState {
    if (prefix == null) prefix = DemoLayout.NS_PREFIX; // files written before the prefix was recorded
    daemons = Map.copyOf(new TreeMap<>(daemons));
  }

  DemoState withDaemon(String node, long pid) {
    Map<String, Long> d = new TreeMap<>(daemons);
    d.put(node, pid);
    return new DemoState(mode, prefix, nodes, startedMillis, d, createdUser);
  }

  /** Written atomically (temp file + rename): a crash never leaves half a file. */
  void save(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The state in {@code file}, or empty if there is none; a damaged file is an error naming it. */
  static Optional<DemoState> load(Path file) throws IOException {
    if (!Files.exists(file)) return Optional.empty();
    try {
      return Optional.of(JSON.readValue(file.toFile(), DemoState.class));
    } catch (IOException e) {
      throw new IOException(file + ": not a demo state file (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
  }

  /** Whether {@code pid} is alive and is the vigild of {@code stateDir} (not a reused pid). */
  static boolean isDaemon(long pid, Path stateDir) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .map(h -> cmdline(pid).contains("daemon\0run\0--state-dir\0" + stateDir + "\0")).orElse(false);
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
