/**
 * Built-in resource types (floating addresses, provider failover IPs, replicated volumes, the L4
 * balancer), each in its own sub-package, and their registration with the executor. May use the
 * model and the executor's built-in agent interface.
 */
package io.vigil.agents;
