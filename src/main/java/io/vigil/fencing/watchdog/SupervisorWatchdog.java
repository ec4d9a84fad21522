package io.vigil.fencing.watchdog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * The watchdog for hosts without /dev/watchdog: a small bash supervisor started in its own session
 * ({@code setsid}), so it outlives a killed or frozen JVM. Its stdin is a pipe from the daemon: each feed is
 * one line. When no line comes within the timeout, or the pipe closes without the magic "V", it kills the
 * registered process groups and removes the registered addresses ({@link SupervisorTargets}).
 */
public final class SupervisorWatchdog implements WatchdogFeeder {
  private static final String SCRIPT = "vigil-supervisor.sh";
  private final Process process;
  private final OutputStream feed;
  private final Duration timeout;
  private final SupervisorTargets targets;
  private final Path dir;

  private SupervisorWatchdog(Process process, Duration timeout, Path dir) {
    this.process = process;
    this.feed = process.getOutputStream();
    this.timeout = timeout;
    this.dir = dir;
    this.targets = new SupervisorTargets(dir);
  }

  /**
   * Installs the supervisor script into {@code stateDir} and starts it, armed with {@code timeout}
   * (at least 100 ms, whole milliseconds).
   */
  public static SupervisorWatchdog start(Path stateDir, Duration timeout) throws IOException {
    if (timeout.toMillis() < 100) throw new IllegalArgumentException("supervisor timeout " + timeout + " is below 100 ms");
    Files.createDirectories(stateDir);
    Path script = stateDir.resolve(SCRIPT);
    try (InputStream in = SupervisorWatchdog.class.getResourceAsStream(SCRIPT)) {
      if (in == null) throw new IOException("resource " + SCRIPT + " is missing from the Vigil jar");
      Files.write(script, in.readAllBytes());
    }
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Files.deleteIfExists(stateDir.resolve("fired"));
    String seconds = String.format(java.util.Locale.ROOT, "%d.%03d", timeout.toMillis() / 1000, timeout.toMillis() % 1000);
    ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/setsid", "/bin/bash", script.toString(), seconds, stateDir.toString()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.appendTo(stateDir.resolve("supervisor.err").toFile()));
    Process p = pb.start();
    return new SupervisorWatchdog(p, timeout, stateDir);
  }

  /** Where to register what the supervisor must kill and remove. */
  public SupervisorTargets targets() {
    return targets;
  }

  public long pid() {
    return process.pid();
  }

  public Path stateDir() {
    return dir;
  }

  /** Whether the supervisor has fired (it leaves a {@code fired} file). */
  public boolean fired() {
    return Files.exists(dir.resolve("fired"));
  }

  @Override
  public synchronized void feed() throws IOException {
    feed.write("k\n".getBytes(StandardCharsets.US_ASCII));
    feed.flush();
  }

  @Override
  public synchronized void disarm() throws IOException {
    feed.write("V\n".getBytes(StandardCharsets.US_ASCII));
    feed.flush();
    feed.close();
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String describe() {
    return "supervisor pid " + process.pid();
  }

  @Override
  public synchronized void close() throws IOException {
    feed.close();
  }
}
