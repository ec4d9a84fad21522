package io.vigil.agents.volume.meta;

/** Role of a node for one volume. Exactly one primary per volume; dual-primary is not supported. */
public enum Role {
  PRIMARY("Primary"),
  SECONDARY("Secondary");

  private final String display;

  Role(String display) {
    this.display = display;
  }

  @Override
  public String toString() {
    return display;
  }
}
