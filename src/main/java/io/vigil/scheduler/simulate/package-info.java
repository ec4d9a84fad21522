/**
 * Renders a scheduler run as crm_simulate does ("Current cluster status", "Transition Summary",
 * "Revised Cluster Status"). Depends on io.vigil.model and io.vigil.scheduler; no I/O.
 */
package io.vigil.scheduler.simulate;
