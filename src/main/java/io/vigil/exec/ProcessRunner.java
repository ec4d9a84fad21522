package io.vigil.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs one program in a new session and process group with a given environment and timeout,
 * keeping the tail of its combined output. On timeout the whole group (and any descendant that
 * left it) gets SIGTERM, then SIGKILL after the grace period, and is reaped.
 *
 * <p>Design: Java cannot call setsid(2), so the program is started under a tiny wrapper that
 * does: by default {@code python3 reaper.py}, which also becomes a child subreaper and, once
 * told that the action is being killed (SIGUSR1), reaps every descendant, so nothing lingers as
 * a zombie even where PID 1 does not reap orphans; without python3, {@code setsid(1)}. The
 * program itself always gets an argv, never a shell command line.
 */
public final class ProcessRunner {

  /** What happened to one program run. */
  public record Outcome(int exitCode, boolean timedOut, String output, boolean outputTruncated,
      Instant started, Duration duration, long pid, String detail) {}

  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration DRAIN = Duration.ofMillis(300);
  private static final String REAPER = loadReaper();

  private final InstantSource clock;
  private final LongSupplier nanoTicker;
  private final Duration killGrace;
  private final List<String> wrapper;

  public ProcessRunner(InstantSource clock, LongSupplier nanoTicker, Duration killGrace, boolean useReaper) {
    this.clock = clock;
    this.nanoTicker = nanoTicker;
    this.killGrace = killGrace;
    Optional<Path> python = useReaper ? which("python3") : Optional.empty();
    Optional<Path> setsid = which("setsid");
    if (python.isPresent()) {
      wrapper = List.of(python.get().toString(), "-I", "-S", "-c", REAPER);
    } else if (setsid.isPresent()) {
      wrapper = List.of(setsid.get().toString());
    } else {
      throw new IllegalStateException("neither python3 nor setsid (util-linux) found in /usr/bin, /bin, /usr/sbin, /sbin:"
          + " Vigil needs one of them to run agents in their own process group");
    }
  }

  /** True when agents run under the reaping wrapper (python3), false with plain setsid(1). */
  public boolean reaping() {
    return wrapper.size() > 1;
  }

  /** Runs {@code argv} with exactly {@code env} as environment. Blocks until done or killed. */
  public Outcome run(List<String> argv, Map<String, String> env, Duration timeout, int tailBytes) {
    return run(argv, env, timeout, tailBytes, null);
  }

  /**
   * As {@link #run(List, Map, Duration, int)}, the program (and what it starts) in {@code cgroup}
   * when not null: the reaping wrapper moves itself there before it starts the program (plain
   * setsid(1) cannot, so without python3 the cgroup is not used).
   */
  public Outcome run(List<String> argv, Map<String, String> env, Duration timeout, int tailBytes, Path cgroup) {
    List<String> command = new ArrayList<>(wrapper);
    if (cgroup != null && reaping()) command.addAll(List.of("--vigil-cgroup", cgroup.toString()));
    command.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(env);
    Instant started = clock.instant();
    long t0 = nanoTicker.getAsLong();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return new Outcome(OcfRc.ERR_GENERIC, false, "", false, started, elapsed(t0), -1,
          "cannot start " + argv.get(0) + ": " + e.getMessage());
    }
    TailBuffer tail = new TailBuffer(tailBytes);
    Thread reader = Thread.ofPlatform().daemon().name("agent-output-" + process.pid())
        .start(() -> pump(process.getInputStream(), tail));
    boolean timedOut = false;
    String detail = "";
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        timedOut = true;
        detail = "did not finish within " + format(timeout) + "; " + killGroup(process);
      }
    } catch (InterruptedException e) {
      killGroup(process);
      Thread.currentThread().interrupt();
      detail = "interrupted; process group killed";
    }
    try {
      // An agent may leave a daemon holding our pipe; don't wait for EOF longer than DRAIN.
      reader.join(DRAIN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int exit = process.isAlive() ? -1 : process.exitValue();
    return new Outcome(exit, timedOut, tail.text(), tail.truncated(), started, elapsed(t0), process.pid(), detail);
  }

  private String killGroup(Process process) {
    long leader = process.pid();
    boolean reaper = reaping() && hasChild(leader);
    if (reaping() && !reaper) {
      // The wrapper has not forked the agent yet: killing the wrapper is enough.
      process.destroyForcibly();
      waitExit(process, Duration.ofSeconds(5));
      return "killed before the agent started";
    }
    if (reaper) {
      signal("USR1", leader);
    }
    Set<Long> members = ProcTable.membersOf(leader, reaper);
    int termed = members.size();
    members.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    long deadline = nanoTicker.getAsLong() + killGrace.toNanos();
    while (!members.isEmpty() && nanoTicker.getAsLong() < deadline) {
      sleep(POLL);
      members = ProcTable.membersOf(leader, reaper);
    }
    int killed = members.size();
    // Repeat: a process may fork between the scan and the kill.
    for (int round = 0; round < 10 && !members.isEmpty(); round++) {
      members.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      sleep(POLL);
      members = ProcTable.membersOf(leader, reaper);
    }
    if (!waitExit(process, Duration.ofSeconds(5))) {
      process.destroyForcibly();
      waitExit(process, Duration.ofSeconds(5));
    }
    return "sent SIGTERM to " + termed + " process(es), SIGKILL to " + killed + " after " + format(killGrace);
  }

  private static boolean hasChild(long pid) {
    return ProcessHandle.of(pid).map(h -> h.children().findAny().isPresent()).orElse(false);
  }

  private static boolean waitExit(Process p, Duration d) {
    try {
      return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  private static void signal(String sig, long pid) {
    Optional<Path> kill = which("kill");
    if (kill.isEmpty()) {
      return;
    }
    try {
      Process k = new ProcessBuilder(kill.get().toString(), "-s", sig, "--", Long.toString(pid))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      k.waitFor(2, TimeUnit.SECONDS);
    } catch (IOException e) {
      // Without the signal the wrapper still exits when the agent dies; killed children may
      // then be reaped by PID 1 instead.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pump(InputStream in, TailBuffer tail) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        tail.write(buf, 0, n);
      }
    } catch (IOException e) {
      // The stream is closed when the process is gone; what was read is kept.
    }
  }

  private Duration elapsed(long t0) {
    return Duration.ofNanos(nanoTicker.getAsLong() - t0);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  /** Finds a program in the standard system directories (not the caller's PATH). */
  static Optional<Path> which(String name) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String loadReaper() {
    try (InputStream in = ProcessRunner.class.getResourceAsStream("reaper.py")) {
      if (in == null) {
        throw new IllegalStateException("io/vigil/exec/reaper.py missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
