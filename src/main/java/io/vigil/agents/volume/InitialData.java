package io.vigil.agents.volume;

/** How a new volume's data starts out on this node. */
public enum InitialData {
  /** A new zero-filled backing file is created: identical to any other fresh copy, UpToDate, no sync. */
  ZEROED,
  /** The existing backing file holds the data to keep (source of {@code --from}). */
  EXISTING_SOURCE,
  /** The existing or new backing file will be overwritten from the peer (target of {@code --from}). */
  SYNC_TARGET
}
