package io.vigil.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback port pairs below the kernel's ephemeral range (an outgoing connection cannot take them meanwhile). */
public final class Ports {
  private Ports() {}

  /** A port p such that p and p+1 are free on loopback and neither is in {@code taken} (nor next to one). */
  public static int freePair(int... taken) throws IOException {
    int high = ephemeralLow() - 2;
    int low = Math.max(1024, high - 12_000);
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    for (int i = 0; i < 200; i++) {
      int p = rnd.nextInt(low, high);
      boolean clash = false;
      for (int t : taken) clash |= Math.abs(t - p) <= 1;
      if (clash) continue;
      try (ServerSocket a = new ServerSocket(p, 1, InetAddress.getLoopbackAddress());
           ServerSocket b = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
        return p;
      } catch (IOException busy) {
        // try another
      }
    }
    throw new IOException("no free pair of loopback ports found below the ephemeral range");
  }

  /** The first port of the kernel's ephemeral range (default 32768). */
  static int ephemeralLow() {
    // Files.readString trusts the size /proc reports and returns a truncated text: read the stream.
    try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
      int low = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip().split("\\s+")[0]);
      return low > 4096 ? low : 32768;
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }
}
