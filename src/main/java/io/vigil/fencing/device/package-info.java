/**
 * Fence devices: the fence-agents stdin protocol run without a shell under its own process group, agent
 * metadata, secrets read from files, and the built-in ssh, http, script and lab devices.
 * Depends on {@code io.vigil.fencing} and {@code io.vigil.model} (and {@code io.vigil.config}'s AgentCatalog, which
 * {@link io.vigil.fencing.device.FenceAgentCatalog} implements for apply-time checks).
 */
package io.vigil.fencing.device;
