package io.vigil.agents.volume;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** What a volume engine may ask of its peer link: enable or disable sessions, send the peer node an administrative request. */
public interface LinkControl {
  LinkControl NONE = new LinkControl() {
    @Override public void enable() {}
    @Override public void disable(String why) {}
  };

  void enable();

  void disable(String why);

  /** Sends {@code request} to the peer node's engine (see {@link VolumeAdmin}); completes with its reply text. */
  default CompletableFuture<String> ask(String request, Duration timeout) {
    return CompletableFuture.failedFuture(new IllegalStateException("this volume has no peer link"));
  }
}
