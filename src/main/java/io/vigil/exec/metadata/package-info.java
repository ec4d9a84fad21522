/**
 * OCF meta-data: safe parsing of an agent's XML into parameters and actions, a per-agent cache,
 * and parameter validation with "did you mean" suggestions. Depends on io.vigil.exec and the JDK.
 */
package io.vigil.exec.metadata;
