/**
 * The built-in promotable resource type {@code builtin:volume} (promoted = Primary): runs a volume's serve process per node.
 * May depend on io.vigil.exec (agent contract), io.vigil.agents.volume (settings, control client), io.vigil.model (apply-time checks) and the JDK.
 */
package io.vigil.agents.volume.agent;
