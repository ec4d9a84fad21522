/**
 * Runs resource-agent actions (OCF, LSB, systemd, built-in) exactly as Pacemaker runs them:
 * environment, timeouts with process-group kill, bounded output, rc classification.
 * Depends only on the JDK; the resource model maps its primitives onto {@link io.vigil.exec.Invocation}.
 */
package io.vigil.exec;
