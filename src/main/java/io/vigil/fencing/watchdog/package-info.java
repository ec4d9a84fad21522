/**
 * Self-fencing: a watchdog the daemon feeds while it may run resources; /dev/watchdog when present, else a
 * supervisor process outside the JVM that kills resource process groups and removes addresses. No Vigil deps.
 */
package io.vigil.fencing.watchdog;
