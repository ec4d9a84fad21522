/**
 * Local administration of a running volume process over a root-only unix socket (one line per
 * request, "ok"/"error" plus text per reply). Depends on the volume engine and Netty.
 */
package io.vigil.agents.volume.control;
