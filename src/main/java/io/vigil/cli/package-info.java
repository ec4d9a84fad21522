/**
 * The {@code vigil} command line: parses arguments (picocli), calls into the capability
 * packages and prints results. May depend on every other package; nothing depends on it.
 */
package io.vigil.cli;
