/**
 * The observed state of a cluster (node membership, operation history, fail counts, transient
 * attributes, quorum): pure immutable records, the scheduler's second input. Depends on nothing.
 */
package io.vigil.status;
