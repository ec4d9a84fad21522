/**
 * Volume metadata kept beside the data: generation identifiers, dirty bitmap, activity log, role
 * and disk state, stored in two CRC32C-checked slots so an update is atomic. Depends on the JDK only.
 */
package io.vigil.agents.volume.meta;
