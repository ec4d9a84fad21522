/**
 * Reads a cluster status written by hand in YAML (for {@code vigil simulate --status}) into
 * {@link io.vigil.status.ClusterStatus}. Depends on io.vigil.status, io.vigil.model and snakeyaml-engine.
 */
package io.vigil.status.yaml;
