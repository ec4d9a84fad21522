package io.vigil.fencing.device;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs a program in a new session ({@code /usr/bin/setsid} with argv, so the program leads its own process
 * group) and, at the timeout, kills the whole group: an agent's children (ipmitool, ssh) die with it.
 * The group is also killed after a normal exit so nothing the agent left behind survives.
 */
public final class GroupProcessRunner implements ProcessRunner {
  static final int MAX_CAPTURE = 64 * 1024;
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private final LongSupplier nanos;

  public GroupProcessRunner() {
    this(System::nanoTime);
  }

  GroupProcessRunner(LongSupplier nanos) {
    this.nanos = nanos;
  }

  @Override
  public Outcome run(List<String> argv, byte[] stdin, Map<String, String> env, Path workDir, Duration timeout)
      throws InterruptedException {
    if (argv.isEmpty()) throw new IllegalArgumentException("empty argv");
    if (!Files.isExecutable(SETSID)) throw new IllegalStateException(SETSID + " is missing (util-linux)");
    List<String> cmd = new ArrayList<>();
    cmd.add(SETSID.toString());
    cmd.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().put("LANG", "C");
    pb.environment().putAll(env);
    if (workDir != null) pb.directory(workDir.toFile());
    long start = nanos.getAsLong();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Outcome(OptionalInt.of(127), "", "cannot start " + argv.getFirst() + ": " + e.getMessage(), false,
          Duration.ofNanos(nanos.getAsLong() - start));
    }
    long pgid = p.pid();
    Capture out = Capture.start(p.getInputStream());
    Capture err = Capture.start(p.getErrorStream());
    try {
      // On its own thread: an agent that never reads a large stdin must not block us past the timeout.
      Thread.ofVirtual().name("fence-stdin").start(() -> writeStdin(p.getOutputStream(), stdin));
      boolean exited = p.waitFor(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
      killGroup(pgid, p);
      if (!exited) p.waitFor(5, TimeUnit.SECONDS);
      out.join();
      err.join();
      Duration took = Duration.ofNanos(nanos.getAsLong() - start);
      OptionalInt rc = exited ? OptionalInt.of(p.exitValue()) : OptionalInt.empty();
      return new Outcome(rc, out.text(), err.text(), !exited, took);
    } catch (InterruptedException e) {
      killGroup(pgid, p);
      throw e;
    }
  }

  private static void writeStdin(OutputStream os, byte[] stdin) {
    try (os) {
      os.write(stdin);
    } catch (IOException e) {
      // The agent may exit without reading stdin (metadata); its exit code tells what happened.
    }
  }

  /** Kills every process of group {@code pgid}, and the direct descendants in case one left the group. */
  static void killGroup(long pgid, Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    try {
      Process k = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      k.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      p.destroyForcibly();
    }
  }

  /** Reads a stream to its end on a virtual thread, keeping the first {@link #MAX_CAPTURE} bytes. */
  private static final class Capture {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final InputStream in;
    private Thread thread;

    private Capture(InputStream in) {
      this.in = in;
    }

    static Capture start(InputStream in) {
      Capture c = new Capture(in);
      c.thread = Thread.ofVirtual().name("fence-capture").start(c::pump);
      return c;
    }

    private void pump() {
      byte[] chunk = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          synchronized (buf) {
            int room = MAX_CAPTURE - buf.size();
            if (room > 0) buf.write(chunk, 0, Math.min(room, n));
          }
        }
      } catch (IOException e) {
        // stream closed under us: keep what we have
      }
    }

    void join() throws InterruptedException {
      if (!thread.join(Duration.ofSeconds(5))) {
        try {
          in.close();
        } catch (IOException ignored) {
          // best effort: a process outside the group still holds the pipe
        }
      }
    }

    String text() {
      synchronized (buf) {
        return buf.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
