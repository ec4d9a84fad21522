package io.vigil.agents.providerip;

/** A credential value that never shows in toString, logs, status or exception messages. */
public final class Secret {
  private final String value;

  Secret(String value) {
    this.value = value;
  }

  /** The raw value, for building an Authorization header only. */
  String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "(secret)";
  }
}
