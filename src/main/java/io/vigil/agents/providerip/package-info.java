/**
 * Built-in resource type {@code provider-ip}: a failover address routed by a hosting provider's
 * HTTP API (Hetzner Robot, or a generic templated API), with bounded retries inside the action
 * timeout. Depends on the JDK HTTP client, Jackson, and io.vigil.agents.ip for AgentResult/keys.
 */
package io.vigil.agents.providerip;
