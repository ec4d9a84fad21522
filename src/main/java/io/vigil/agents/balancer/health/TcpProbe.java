package io.vigil.agents.balancer.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Healthy when a TCP connection to the real server is accepted within the timeout. */
final class TcpProbe implements Probe {

  @Override
  public CheckResult probe(InetSocketAddress target, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(target, (int) Math.max(1, timeout.toMillis()));
      return CheckResult.ok("TCP connect to " + target + " accepted");
    } catch (IOException e) {
      return CheckResult.failed("TCP connect to " + target + " failed: " + e.getMessage());
    }
  }
}
