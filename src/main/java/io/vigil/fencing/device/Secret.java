package io.vigil.fencing.device;

import java.util.Objects;

/**
 * A secret value read from a file. {@link #toString} never shows it; only {@link #reveal} does, and
 * only the code that writes it to an agent's stdin or an HTTP header calls that.
 */
public final class Secret {
  private final String value;

  Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  /** The secret text, for stdin or a request header only; never log, format or store it. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "******";
  }
}
