/**
 * The user-space layer-4 proxy on Netty (native epoll or io_uring, or NIO): Netty's HexDumpProxy pattern with
 * backpressure, half-close and per-real-server accounting. Depends on Netty and the JDK; it asks a
 * {@link io.vigil.agents.balancer.proxy.BackendSelector} for the real server, it does not schedule.
 */
package io.vigil.agents.balancer.proxy;
