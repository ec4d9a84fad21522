package io.vigil.agents.volume.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

/** Free loopback TCP ports, sorted ascending (the peer link's dialing rule depends on the order). */
public final class FreePorts {
  private FreePorts() {}

  public static int[] sorted(int n) {
    ServerSocket[] sockets = new ServerSocket[n];
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      for (ServerSocket s : sockets) s.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Arrays.sort(ports);
    return ports;
  }
}
