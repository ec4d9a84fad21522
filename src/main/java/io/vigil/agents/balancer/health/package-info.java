/**
 * Real-server health checks as keepalived and ldirectord have them: the pure rise/fall state
 * machine, the TCP/HTTP(S)/script probe drivers and the scheduler that runs them. Depends on the JDK only.
 */
package io.vigil.agents.balancer.health;
