/**
 * The built-in promotable resource type {@code builtin:volume} (promoted = Primary): runs a volume's serve process per node.
 * May depend on io.vigil.exec (agent contract), io.vigil.agents.volume (settings, control client) and the JDK.
 */
package io.vigil.agents.volume.agent;
