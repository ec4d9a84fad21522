package io.vigil.exec;

import java.util.Locale;

/** The resource-agent standards ("classes" in Pacemaker) Vigil can run. */
public enum AgentStandard {
  OCF,
  LSB,
  SYSTEMD,
  BUILTIN;

  /** The lower-case name used in agent specifications such as {@code ocf:heartbeat:Dummy}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a standard name case-insensitively, or throws with the accepted names. */
  public static AgentStandard parse(String text) {
    for (AgentStandard s : values()) {
      if (s.id().equalsIgnoreCase(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown agent standard '" + text + "': expected one of ocf, lsb, systemd, builtin");
  }
}
