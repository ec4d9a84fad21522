package io.vigil.agents.volume;

/**
 * Link state of a volume. StandAlone -> (connect) -> Connecting -> Connected | SyncSource |
 * SyncTarget; a resync ends in Connected; any session loss returns to Connecting; a refused
 * handshake (split brain, mismatch) or {@code disconnect} goes to StandAlone.
 */
public enum ConnectionState {
  STAND_ALONE("StandAlone"),
  CONNECTING("Connecting"),
  CONNECTED("Connected"),
  SYNC_SOURCE("SyncSource"),
  SYNC_TARGET("SyncTarget");

  private final String display;

  ConnectionState(String display) {
    this.display = display;
  }

  @Override
  public String toString() {
    return display;
  }
}
