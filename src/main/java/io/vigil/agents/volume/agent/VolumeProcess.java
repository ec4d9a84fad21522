package io.vigil.agents.volume.agent;

import io.vigil.agents.volume.VolumeServeMain;
import io.vigil.agents.volume.control.ControlClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code vigil volume serve} process of one volume on this node, as the agent sees it: started
 * detached (it outlives the action), found again through its pid file and control socket, stopped
 * with SIGTERM (a clean close flushes and records a clean stop).
 */
final class VolumeProcess {
  private final VolumeAgentParams params;

  VolumeProcess(VolumeAgentParams params) {
    this.params = params;
  }

  /** The serve command line: this JVM's java and class path, so the child runs the same Vigil. */
  List<String> command(List<String> extra) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), VolumeServeMain.class.getName()));
    cmd.addAll(params.serveArgs());
    cmd.addAll(extra);
    return cmd;
  }

  /** Starts the process with {@code extra} arguments (output appended to its log), records its pid and returns it. */
  Process start(List<String> extra) throws IOException {
    Files.createDirectories(params.stateDir());
    Process p = new ProcessBuilder(command(extra)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(params.logFile().toFile())).start();
    p.getOutputStream().close();
    Files.writeString(params.pidFile(), p.pid() + "\n");
    return p;
  }

  /** The running process started for this volume, if its pid file names a live serve process of it. */
  Optional<ProcessHandle> running() {
    try {
      if (!Files.exists(params.pidFile())) return Optional.empty();
      long pid = Long.parseLong(Files.readString(params.pidFile()).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurs);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private boolean isOurs(ProcessHandle h) {
    // A recycled pid must not be mistaken for the volume process (and never be signalled).
    // /proc/PID/cmdline rather than ProcessHandle.Info, which drops arguments of long command lines.
    List<String> args;
    try {
      args = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
          java.nio.charset.StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return false;
    }
    return args.contains(VolumeServeMain.class.getName()) && args.contains(params.control().toString());
  }

  /** One control request; empty when the process cannot be reached. */
  Optional<ControlClient.Reply> request(String request) {
    if (!Files.exists(params.control())) return Optional.empty();
    try {
      return Optional.of(ControlClient.send(params.control(), request));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code graceMillis}; removes the pid file. */
  void stop(ProcessHandle h, long graceMillis) throws InterruptedException, IOException {
    h.destroy();
    try {
      h.onExit().get(graceMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      h.destroyForcibly();
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e2) {
        throw new IOException("volume '" + params.name() + "': process " + h.pid() + " did not exit after SIGKILL");
      }
    }
    Files.deleteIfExists(params.pidFile());
  }

  /** The last lines of the process log (for an exit reason). */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(params.logFile());
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "(no log at " + params.logFile() + ")";
    }
  }
}
