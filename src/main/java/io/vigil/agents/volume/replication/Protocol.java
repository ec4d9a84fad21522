package io.vigil.agents.volume.replication;

/** When the primary acknowledges a write to its client. */
public enum Protocol {
  /** Written locally and queued to the peer. */
  A,
  /** Written locally and received (checksum verified) by the peer. */
  B,
  /** Written locally and written to the peer's backing storage (the default). */
  C;

  public static Protocol parse(String s) {
    return switch (s.trim().toUpperCase(java.util.Locale.ROOT)) {
      case "A" -> A;
      case "B" -> B;
      case "C" -> C;
      default -> throw new IllegalArgumentException("replication protocol '" + s + "' unknown; expected A, B or C");
    };
  }
}
