package io.vigil.fencing;

import java.util.Locale;
import java.util.Optional;

/** The actions of the fence-agents calling convention, with their wire names. */
public enum FenceAction {
  OFF("off"),
  ON("on"),
  REBOOT("reboot"),
  STATUS("status"),
  MONITOR("monitor"),
  LIST("list"),
  METADATA("metadata"),
  VALIDATE_ALL("validate-all");

  private final String wire;

  FenceAction(String wire) {
    this.wire = wire;
  }

  /** The value sent as {@code action=} on the agent's stdin. */
  public String wire() {
    return wire;
  }

  /** Whether the action changes a node's power (and so takes delays and is recorded as fencing). */
  public boolean isFencing() {
    return this == OFF || this == REBOOT || this == ON;
  }

  public static Optional<FenceAction> parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("poweroff")) return Optional.of(OFF);
    for (FenceAction a : values()) {
      if (a.wire.equals(t)) return Optional.of(a);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wire;
  }
}
