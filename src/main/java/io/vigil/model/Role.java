package io.vigil.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The role of a resource instance, as Pacemaker names them. Legacy names {@code Master} and
 * {@code Slave} are accepted on input and mean {@link #PROMOTED} and {@link #UNPROMOTED}.
 */
public enum Role {
  STOPPED("Stopped"),
  STARTED("Started"),
  UNPROMOTED("Unpromoted"),
  PROMOTED("Promoted");

  private final String label;

  Role(String label) {
    this.label = label;
  }

  /** The name used in configuration files and output. */
  public String label() {
    return label;
  }

  /** Parses a role name (case-insensitive, legacy names accepted); empty when unknown. */
  public static Optional<Role> parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "stopped" -> Optional.of(STOPPED);
      case "started" -> Optional.of(STARTED);
      case "unpromoted", "slave" -> Optional.of(UNPROMOTED);
      case "promoted", "master" -> Optional.of(PROMOTED);
      default -> Optional.empty();
    };
  }

  @Override
  public String toString() {
    return label;
  }
}
