/**
 * The built-in promotable resource type {@code builtin:volume} (promoted = Primary): runs a volume's serve process per node.
 * May depend on io.vigil.exec (agent contract), io.vigil.agents.volume (settings, control client), io.vigil.status
 * (the promotion score's attribute name) and the JDK.
 */
package io.vigil.agents.volume.agent;
