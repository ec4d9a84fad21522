package io.vigil.agents.balancer.sched;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What a hashing scheduler may look at for one new connection.
 *
 * @param client client address (sh, mh, persistence)
 * @param clientPort client port (sh/mh with port hashing)
 * @param destination address the client connected to (dh, lblc, lblcr key on it as IPVS does)
 */
public record ConnKey(InetAddress client, int clientPort, InetAddress destination) {
  public ConnKey {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(destination, "destination");
  }
}
