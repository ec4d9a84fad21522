package io.vigil.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds on which nodes the demo service process is alive, from each node's agent pid file and
 * /proc (a zombie or a reused pid does not count), cheaply enough to sample every 10 ms.
 */
final class ServiceWatch {
  private final DemoLayout layout;

  ServiceWatch(DemoLayout layout) {
    this.layout = layout;
  }

  /** The pid file ocf:heartbeat:anything writes for the service on {@code n}. */
  static Path pidFile(DemoLayout.Node n) {
    return n.runDir().resolve("anything_" + DemoConfig.SERVICE + ".pid");
  }

  /** The live service process started on {@code n}, if any. */
  static Optional<Long> livePid(DemoLayout.Node n) {
    try {
      long pid = Long.parseLong(Files.readString(pidFile(n)).strip());
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state == 'Z' || state == 'X') return Optional.empty();
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(cmdline, StandardCharsets.UTF_8).contains("demo-service") ? Optional.of(pid) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The nodes where the service is alive now. */
  FailoverTimeline.Sample sample() {
    TreeSet<String> alive = new TreeSet<>();
    for (DemoLayout.Node n : layout.nodes()) {
      if (livePid(n).isPresent()) alive.add(n.name());
    }
    return new FailoverTimeline.Sample(System.nanoTime(), alive);
  }

  /** Samples every 10 ms on a virtual thread until {@link Sampling#stop}. */
  Sampling start() {
    return new Sampling();
  }

  final class Sampling {
    private final List<FailoverTimeline.Sample> samples = new ArrayList<>();
    private volatile boolean running = true;
    private final Thread thread = Thread.ofVirtual().name("demo-service-watch").start(this::loop);

    private void loop() {
      long deadline = System.nanoTime() + 10L * 60 * 1_000_000_000; // bounded: 10 min at most
      while (running && System.nanoTime() < deadline) {
        FailoverTimeline.Sample s = sample();
        synchronized (samples) {
          samples.add(s);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
      }
    }

    List<FailoverTimeline.Sample> stop() throws InterruptedException {
      running = false;
      thread.join();
      synchronized (samples) {
        return List.copyOf(samples);
      }
    }
  }
}
