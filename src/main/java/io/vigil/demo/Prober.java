package io.vigil.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An HTTP client that starts a request to the service every interval (attempts overlap, so the
 * grid holds while the service is unreachable), gives each a timeout, and logs one {@link Probe}
 * line per attempt with the node named in the answer ("served by NODE"). Bounded in time and in
 * attempts; stops early when {@code out + ".stop"} appears.
 */
public final class Prober {
  private final InetSocketAddress target;
  private final Duration interval;
  private final Duration timeout;
  private final Duration duration;

  public Prober(InetSocketAddress target, Duration interval, Duration timeout, Duration duration) {
    if (interval.toMillis() < 1 || timeout.toMillis() < 1 || duration.toSeconds() < 1 || duration.toHours() > 24) {
      throw new IllegalArgumentException("prober: interval and timeout must be >= 1 ms and the duration 1 s .. 24 h");
    }
    this.target = target;
    this.interval = interval;
    this.timeout = timeout;
    this.duration = duration;
  }

  /** Probes until the duration ends or {@code out.stop} exists; returns the number of attempts. */
  public long run(Path out) throws IOException, InterruptedException {
    Path stop = out.resolveSibling(out.getFileName() + ".stop");
    long step = interval.toNanos();
    long t0 = System.nanoTime();
    long end = t0 + duration.toNanos();
    long maxAttempts = duration.toNanos() / step + 1;
    long attempts = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.US_ASCII);
         ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      w.write("# prober target=" + target + " interval_ms=" + interval.toMillis() + " timeout_ms=" + timeout.toMillis() + "\n");
      w.flush();
      long next = t0;
      while (System.nanoTime() < end && attempts < maxAttempts) {
        if (attempts % 20 == 0 && Files.exists(stop)) break;
        pool.submit(() -> write(w, attempt()));
        attempts++;
        next += step;
        long now = System.nanoTime();
        if (next < now) next += ((now - next) / step + 1) * step; // fell behind: keep the grid
        LockSupport.parkNanos(next - now);
        if (Thread.interrupted()) throw new InterruptedException();
      }
      pool.shutdown();
      pool.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }
    return attempts;
  }

  private static void write(BufferedWriter w, Probe p) {
    synchronized (w) {
      try {
        w.write(p.line());
        w.write('\n');
        w.flush();
      } catch (IOException e) {
        // the log is gone (demo stopping): nothing to report to
      }
    }
  }

  /** One request; the end time is when the answer was complete. */
  Probe attempt() {
    long start = System.nanoTime();
    int budget = (int) Math.max(1, timeout.toMillis());
    try (Socket s = new Socket()) {
      s.setSoLinger(true, 0); // RST on close: no TIME_WAIT pile-up on the client
      s.connect(target, budget);
      int left = (int) Math.max(1, budget - (System.nanoTime() - start) / 1_000_000);
      s.setSoTimeout(left);
      s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + target.getHostString() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = readAll(s.getInputStream(), start, budget);
      return new Probe(start, System.nanoTime(), Probe.Result.OK, servedBy(answer));
    } catch (SocketTimeoutException e) {
      return new Probe(start, System.nanoTime(), Probe.Result.TIMEOUT, "");
    } catch (ConnectException e) {
      boolean refused = e.getMessage() != null && e.getMessage().contains("refused");
      return new Probe(start, System.nanoTime(), refused ? Probe.Result.REFUSED : Probe.Result.ERROR, "");
    } catch (IOException e) {
      return new Probe(start, System.nanoTime(), Probe.Result.ERROR, "");
    }
  }

  private static String readAll(InputStream in, long start, int budgetMillis) throws IOException {
    byte[] buf = new byte[1024];
    int n = 0;
    for (int r; n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0; ) {
      n += r;
      if ((System.nanoTime() - start) / 1_000_000 > budgetMillis) throw new SocketTimeoutException("answer too slow");
    }
    return new String(buf, 0, n, StandardCharsets.US_ASCII);
  }

  /** The node in "served by NODE" (last line of the body), or "?" when the answer is not the demo service's. */
  static String servedBy(String answer) {
    int i = answer.lastIndexOf("served by ");
    if (i < 0) return "?";
    String rest = answer.substring(i + "served by ".length()).strip();
    return rest.isEmpty() || rest.contains(" ") ? "?" : rest;
  }
}
