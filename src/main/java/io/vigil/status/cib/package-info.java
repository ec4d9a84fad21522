/**
 * Reads the {@code <status>} section of a Pacemaker CIB into {@link io.vigil.status.ClusterStatus}.
 * Depends on io.vigil.status and the JDK's XML parser (hardened: no DTDs, no external entities).
 */
package io.vigil.status.cib;
