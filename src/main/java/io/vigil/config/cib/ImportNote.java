package io.vigil.config.cib;

import java.util.Objects;

/**
 * One thing the importer could not convert as written, e.g. {@code skipped constraints/rsc_ticket
 * 't1': tickets are not supported}.
 *
 * @param where the CIB element (and attribute), e.g. {@code resources/primitive 'db' meta 'foo'}
 * @param reason why, and what was expected
 */
public record ImportNote(Kind kind, String where, String reason) {

  /** Whether the element was left out or converted with a change of form or meaning. */
  public enum Kind {
    SKIPPED("skipped"), ADJUSTED("adjusted");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public ImportNote {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(where);
    Objects.requireNonNull(reason);
  }

  @Override
  public String toString() {
    return kind.label() + " " + where + ": " + reason;
  }
}
