package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Something running inside this vigild that reports live figures without going through Raft (the
 * balancers' counters): the control op {@code local-status} answers {@link #json}, {@code status}
 * adds {@link #summary} lines, and {@code GET /metrics} serves {@link #prometheus}. Read on request only.
 */
public interface LocalReport {
  /** The key of this report in the {@code local-status} answer, e.g. "balancers". */
  String name();

  /** The full figures as JSON. */
  JsonNode json();

  /** One short line per item for {@code vigil status}. */
  List<String> summary();

  /** Prometheus text exposition (format 0.0.4), HELP/TYPE lines included. */
  String prometheus();
}
