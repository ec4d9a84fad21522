/**
 * NBD server (fixed newstyle handshake, simple replies) that exports {@link io.vigil.agents.volume.nbd.NbdExport}s.
 * Depends on Netty and the JDK only; knows nothing about replication or roles beyond what an export refuses.
 */
package io.vigil.agents.volume.nbd;
