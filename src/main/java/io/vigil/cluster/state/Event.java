package io.vigil.cluster.state;

import java.util.Objects;

/**
 * One entry of the bounded cluster history.
 *
 * @param seq position in the history, increasing by one per event (survives truncation)
 * @param rc the action's exit code, or -1 where none applies
 * @param durationMillis how long the action took, or -1 where none applies
 */
public record Event(long seq, long timeMillis, Kind kind, String node, String resource, String author, String text,
    int rc, long durationMillis) {
  /** What happened. */
  public enum Kind { CONFIG, ACTION, FAILURE, FENCING, MEMBERSHIP, NODE, TRANSITION,
    /** Observed by a running built-in agent (a balancer's real server down or up). */
    AGENT }

  public Event {
    Objects.requireNonNull(kind, "event kind");
    node = Sorted.text(node);
    resource = Sorted.text(resource);
    author = Sorted.text(author);
    text = Sorted.text(text);
  }
}
