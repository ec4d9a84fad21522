/**
 * The replicated cluster state as immutable values and the pure, deterministic {@link io.vigil.cluster.state.Apply}.
 * May depend on io.vigil.model and Jackson (encoding only); never on I/O, clocks, Ratis or threads.
 */
package io.vigil.cluster.state;
