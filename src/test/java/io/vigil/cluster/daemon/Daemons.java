package io.vigil.cluster.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: launches vigild processes with this JVM's classpath, and finds free loopback ports. */
final class Daemons {
  private Daemons() {}

  /** The classpath of this JVM, expanded if surefire hid it in a manifest-only jar. */
  static String classpath() {
    return io.vigil.demo.Launcher.expandedClasspath();
  }

  /** Starts {@code vigil daemon run --state-dir dir} as a separate JVM on ZGC; output goes to dir/../NAME.log. */
  static Process start(Path stateDir, String name, String... extraArgs) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = stateDir.resolveSibling(name + ".log");
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseZGC", "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
    cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.io.vigil=info",
        "-cp", classpath(), TestVigil.class.getName(), "daemon", "run", "--state-dir", stateDir.toString()));
    cmd.addAll(List.of(extraArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  /** A free loopback port whose successor is free too (Raft port + enrollment port), below the ephemeral range. */
  static int freePortPair() throws IOException {
    return io.vigil.demo.Ports.freePair();
  }

  static String log(Path stateDir, String name) {
    try {
      Path f = stateDir.resolveSibling(name + ".log");
      if (!Files.exists(f)) return "";
      String s = Files.readString(f);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "";
    }
  }
}
