package io.vigil.agents.volume.testing;

import io.vigil.agents.volume.control.ControlClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@code vigil volume serve} process (a separate JVM) with its control socket. */
public final class ServeProcess implements AutoCloseable {
  public final String node;
  public final Path control;
  public final Path nbdSocket;
  private final Process process;

  public ServeProcess(String node, Path dir, List<String> args) throws IOException {
    this.node = node;
    this.control = dir.resolve(node + ".ctl");
    this.nbdSocket = dir.resolve(node + ".nbd");
    String java = ProcessHandle.current().info().command().orElse("java");
    // C1 only and the serial collector: a test's serve process lives for seconds, and C2's and G1's
    // threads would only compete for the two cores with the other processes of the test.
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "--enable-native-access=ALL-UNNAMED", "io.vigil.cli.VolumeCommand", "serve", "--node", node,
        "--control", control.toString(), "--nbd-socket", nbdSocket.toString()));
    cmd.addAll(args);
    this.process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(node + ".log").toFile()).start();
  }

  public String uri(String volume) {
    return "nbd+unix:///" + volume + "?socket=" + nbdSocket;
  }

  /** Sends a control request; null if the process cannot be reached yet. */
  public ControlClient.Reply request(String request) {
    try {
      return ControlClient.send(control, request);
    } catch (IOException e) {
      return null;
    }
  }

  public String status() {
    ControlClient.Reply r = request("status");
    return r == null ? "" : r.text();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public void kill9() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean demote
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
