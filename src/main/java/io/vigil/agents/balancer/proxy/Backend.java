package io.vigil.agents.balancer.proxy;

import java.net.InetSocketAddress;

/**
 * A real server chosen for one client connection.
 *
 * @param counters counters this connection updates
 * @param onClose called once when the proxied connection is gone (persistence refresh, drain)
 */
public record Backend(String serverId, InetSocketAddress address, ConnectionCounters counters, Runnable onClose) {}
