/**
 * Reading, checking and writing {@code cluster.yaml}: every problem located (file:line:column),
 * all problems reported at once, nothing half-loaded. Depends on the model only; its only I/O is
 * reading the file it is given. Agent knowledge comes in through {@link io.vigil.config.AgentCatalog}.
 */
package io.vigil.config;
