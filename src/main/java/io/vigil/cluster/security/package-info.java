/**
 * Cluster PKI: the cluster CA, node certificates and CSRs (BouncyCastle), one-time join tokens, enrollment.
 * May depend on io.vigil.cluster.state (token records) and BouncyCastle; files are written with mode 0600.
 */
package io.vigil.cluster.security;
