package io.vigil.model;

import java.util.Locale;
import java.util.Optional;

/** What to do when an operation fails ({@code on-fail}), with Pacemaker's meanings. */
public enum OnFail {
  IGNORE("ignore"),
  BLOCK("block"),
  STOP("stop"),
  RESTART("restart"),
  STANDBY("standby"),
  FENCE("fence"),
  DEMOTE("demote"),
  RESTART_CONTAINER("restart-container");

  private final String label;

  OnFail(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Optional<OnFail> parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("stonith")) return Optional.of(FENCE);
    for (OnFail f : values()) {
      if (f.label.equals(t)) return Optional.of(f);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return label;
  }
}
