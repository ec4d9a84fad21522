package io.vigil.cluster.state;

import java.util.ArrayList;
import java.util.List;

/** The last {@code cap} events, oldest first; {@code nextSeq} keeps counting across truncation. */
public record History(List<Event> events, long nextSeq, int cap) {
  /** Default number of events kept in the replicated state. */
  public static final int DEFAULT_CAP = 5_000;

  public static final History EMPTY = new History(List.of(), 1, DEFAULT_CAP);

  public History {
    events = Sorted.list(events);
    if (cap < 1) throw new IllegalArgumentException("history cap " + cap + " must be at least 1");
    if (events.size() > cap) throw new IllegalArgumentException("history holds " + events.size() + " events, cap is " + cap);
  }

  /** A history with the same events and a new cap (oldest dropped when it shrinks). */
  public History withCap(int newCap) {
    List<Event> kept = events.size() > newCap ? events.subList(events.size() - newCap, events.size()) : events;
    return new History(kept, nextSeq, newCap);
  }

  History add(long time, Event.Kind kind, String node, String resource, String author, String text, int rc, long duration) {
    List<Event> next = new ArrayList<>(events.size() + 1);
    int drop = events.size() + 1 > cap ? events.size() + 1 - cap : 0;
    next.addAll(events.subList(drop, events.size()));
    next.add(new Event(nextSeq, time, kind, node, resource, author, text, rc, duration));
    return new History(next, nextSeq + 1, cap);
  }

  History add(long time, Event.Kind kind, String node, String resource, String author, String text) {
    return add(time, kind, node, resource, author, text, -1, -1);
  }
}
