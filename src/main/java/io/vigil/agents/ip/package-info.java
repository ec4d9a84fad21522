/**
 * Built-in resource type {@code ip}: floating IPv4/IPv6 addresses added through iproute2 and
 * announced by unsolicited ARP / neighbour advertisements. Pure decision code plus thin process
 * drivers; depends only on the JDK, Jackson (JSON) and SLF4J.
 */
package io.vigil.agents.ip;
