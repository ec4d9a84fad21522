package io.vigil.agents.balancer.proxy;

import java.net.InetSocketAddress;
import java.util.Optional;

/** Chooses the real server for a new client connection; empty rejects the client. Thread-safe. */
public interface BackendSelector {
  Optional<Backend> select(InetSocketAddress client, InetSocketAddress local);
}
