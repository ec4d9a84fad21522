package io.vigil.agents.volume;

import io.vigil.agents.volume.nbd.Nbd;
import io.vigil.agents.volume.nbd.NbdException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The single thread a volume's state is confined to: a shared one (the process's Netty event loop,
 * saving a thread hop per message) or its own. Work handed to it completes a future; work refused
 * because the volume is closing fails with ESHUTDOWN.
 */
final class IoThread {
  private final String volume;
  private final ScheduledExecutorService executor;
  private final boolean owned;

  /** A task that completes {@code done} itself (possibly later, e.g. on a peer's ack). */
  interface Task {
    void run(CompletableFuture<Void> done) throws Exception;
  }

  IoThread(String volume, ScheduledExecutorService shared) {
    this.volume = volume;
    this.owned = shared == null;
    this.executor = shared != null ? shared : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "volume-" + volume + "-io");
      t.setDaemon(true);
      return t;
    });
  }

  <T> CompletableFuture<T> call(Callable<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    submit(f, () -> f.complete(task.call()));
    return f;
  }

  CompletableFuture<Void> run(Task task) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    submit(f, () -> task.run(f));
    return f;
  }

  private interface Body {
    void run() throws Exception;
  }

  private void submit(CompletableFuture<?> f, Body body) {
    try {
      executor.execute(() -> {
        try {
          body.run();
        } catch (Throwable t) {
          f.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(new NbdException(Nbd.ESHUTDOWN, "volume '" + volume + "' is shutting down"));
    }
  }

  void execute(Runnable r) {
    executor.execute(r);
  }

  void schedule(Runnable r, long delayNanos) {
    executor.schedule(r, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Stops an owned thread (waiting up to 10 s for queued work); a shared one belongs to its owner. */
  void shutdown() throws InterruptedException {
    if (!owned) return;
    executor.shutdown();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
