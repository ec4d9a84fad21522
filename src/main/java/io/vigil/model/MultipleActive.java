package io.vigil.model;

import java.util.Optional;

/** What to do when a resource is found active on more than one node. */
public enum MultipleActive {
  STOP_START("stop_start"),
  STOP_ONLY("stop_only"),
  BLOCK("block"),
  STOP_UNEXPECTED("stop_unexpected");

  private final String label;

  MultipleActive(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Optional<MultipleActive> parse(String text) {
    for (MultipleActive m : values()) {
      if (m.label.equals(text.strip())) return Optional.of(m);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return label;
  }
}
