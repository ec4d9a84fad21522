package io.vigil.cluster.coordinator;

import io.vigil.exec.Invocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this node may be running, known without the cluster: every instance it started, promoted
 * or found running here and has not stopped since, oldest first, with the invocation that
 * started it. When the node loses quorum it must stop them on its own, before its lease runs
 * out — in reverse start order, which respects group and order constraints.
 */
final class LocalActive {
  /** An instance that may be active here; {@code promoted} when it was promoted (or found promoted). */
  record Entry(Invocation invocation, boolean promoted) {}

  private final Map<String, Entry> active = new LinkedHashMap<>();

  /**
   * Notes the outcome of an action here. Called before a start runs as well as after (a failed or
   * timed-out start may have left something running: only a successful stop clears it).
   */
  synchronized void note(String kind, String id, Invocation inv, Integer rc) {
    switch (kind) {
      case "START", "MIGRATE_FROM", "MIGRATE_TO" -> active.putIfAbsent(id, new Entry(inv, false));
      case "PROMOTE" -> active.put(id, new Entry(starter(id, inv), true));
      case "DEMOTE" -> {
        if (rc != null && rc == 0) active.put(id, new Entry(starter(id, inv), false));
      }
      case "STOP" -> {
        if (rc != null && rc == 0) active.remove(id);
      }
      case "PROBE", "MONITOR" -> {
        if (rc == null) return;
        if (rc == 7) active.remove(id);
        else if (rc == 0 || rc == 8) active.put(id, new Entry(starter(id, inv), rc == 8));
      }
      default -> { }
    }
  }

  private Invocation starter(String id, Invocation fallback) {
    Entry e = active.get(id);
    return e == null ? fallback : e.invocation();
  }

  /** What to stop, newest first. */
  synchronized List<Map.Entry<String, Entry>> newestFirst() {
    List<Map.Entry<String, Entry>> out = new ArrayList<>();
    active.forEach((k, v) -> out.add(Map.entry(k, v)));
    java.util.Collections.reverse(out);
    return out;
  }

  synchronized void stopped(String id) {
    active.remove(id);
  }

  synchronized void demoted(String id) {
    Entry e = active.get(id);
    if (e != null) active.put(id, new Entry(e.invocation(), false));
  }
}
