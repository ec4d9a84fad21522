package io.vigil.agents.balancer.health;

import java.net.InetSocketAddress;
import java.time.Duration;

/** Runs one check against one real server; the I/O seam of health checking. */
public interface Probe {

  /**
   * Probes the target, giving up after the timeout. Never throws for a failed check; returns a
   * failed result with the reason instead.
   *
   * @throws InterruptedException if the calling thread was interrupted (the probe is abandoned)
   */
  CheckResult probe(InetSocketAddress target, Duration timeout) throws InterruptedException;

  /** The real probe for a check description. */
  static Probe forSpec(CheckSpec spec) {
    return switch (spec) {
      case CheckSpec.Tcp t -> new TcpProbe();
      case CheckSpec.Http h -> new HttpProbe(h);
      case CheckSpec.Script s -> new ScriptProbe(s);
    };
  }
}
