package io.vigil.agents.volume.meta;

/**
 * State of a node's copy of the data.
 *
 * <p>UpToDate: the latest data. Inconsistent: partly synced, unusable on its own (cannot be
 * promoted). Outdated: consistent but known to be older than the peer's. Diskless: no local data.
 */
public enum DiskState {
  UP_TO_DATE("UpToDate"),
  INCONSISTENT("Inconsistent"),
  OUTDATED("Outdated"),
  DISKLESS("Diskless");

  private final String display;

  DiskState(String display) {
    this.display = display;
  }

  @Override
  public String toString() {
    return display;
  }
}
