/**
 * The built-in resource type {@code builtin:nbd}: attaches an NBD export (a volume's, by default) as a
 * block device on this node, so that a filesystem resource can mount it, and detaches it on stop.
 * Two ways: the kernel's nbd driver through {@code nbd-client} (production), or libnbd's
 * {@code nbdfuse} plus a loop device (hosts and containers without the nbd module).
 * May depend on io.vigil.exec (agent contract), io.vigil.agents.ip (argv process runner) and the JDK.
 */
package io.vigil.agents.volume.attach;
