package io.vigil.cluster.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.scheduler.Transition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The executable part of a scheduler transition: runnable actions only, with pseudo-actions
 * folded away (an edge through a pseudo-action becomes a direct edge), encoded as the
 * transition payload the replicated state carries.
 */
public record Plan(List<PlannedAction> actions, Map<String, Map<String, String>> notifications) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param notifications the notification variables of the plan's NOTIFY actions, each distinct
   *     set once (every instance notified of one clone operation shares it), by key
   */
  @com.fasterxml.jackson.annotation.JsonCreator
  public Plan {
    actions = List.copyOf(actions);
    notifications = notifications == null ? Map.of() : Map.copyOf(notifications);
  }

  public Plan(List<PlannedAction> actions) {
    this(actions, Map.of());
  }

  public static final Plan EMPTY = new Plan(List.of());

  /**
   * The plan for a scheduler transition. Stops and demotes on a node that the same transition
   * fences are implied by the fencing (the node is off): they are not executed, and what waited
   * for them waits for the fencing instead.
   */
  public static Plan of(Transition t) {
    List<Transition.Action> all = t.actions();
    Map<String, Integer> fenceIndex = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).kind() == Transition.Kind.FENCE && all.get(i).runnable()) fenceIndex.put(all.get(i).resource(), i);
    }
    Set<String> fenced = fenceIndex.keySet();
    Map<Integer, Set<Integer>> preds = new LinkedHashMap<>();
    for (Transition.Edge e : t.edges()) preds.computeIfAbsent(e.then(), k -> new LinkedHashSet<>()).add(e.first());
    for (int i = 0; i < all.size(); i++) {
      Transition.Action a = all.get(i);
      if (impliedByFencing(a, fenced)) preds.computeIfAbsent(i, k -> new LinkedHashSet<>()).add(fenceIndex.get(a.node()));
    }
    List<PlannedAction> out = new ArrayList<>();
    Map<Integer, String> ids = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      Transition.Action a = all.get(i);
      if (a.runnable() && a.kind() != Transition.Kind.PSEUDO && !impliedByFencing(a, fenced)) {
        // a notification's task (pre_notify_start, post_notify_promote, ...) tells it from the
        // instance's other notifications of the same transition
        String kind = a.kind() == Transition.Kind.NOTIFY ? "NOTIFY-" + a.task() : a.kind().name();
        ids.put(i, PlannedAction.idOf(kind, a.resource(), a.node(), a.intervalMs()));
      }
    }
    Map<Map<String, String>, String> keys = new java.util.IdentityHashMap<>();
    Map<String, Map<String, String>> notifications = new LinkedHashMap<>();
    for (Map.Entry<Integer, String> e : ids.entrySet()) {
      Transition.Action a = all.get(e.getKey());
      Set<String> after = new TreeSet<>();
      collectRealPredecessors(e.getKey(), preds, ids, after, new LinkedHashSet<>());
      String notify = "";
      Map<String, String> vars = t.notifyMeta().get(e.getKey());
      if (vars != null) {
        notify = keys.computeIfAbsent(vars, v -> "n" + keys.size());
        notifications.putIfAbsent(notify, vars);
      }
      out.add(new PlannedAction(e.getValue(), a.kind().name(), a.resource(), a.node(), a.intervalMs(), List.copyOf(after), notify));
    }
    return new Plan(out, notifications);
  }

  private static boolean impliedByFencing(Transition.Action a, Set<String> fenced) {
    boolean onFencedNode = fenced.contains(a.node()) && a.kind() != Transition.Kind.FENCE;
    return onFencedNode && switch (a.kind()) {
      case STOP, DEMOTE, CANCEL, MONITOR, PROBE -> true;
      default -> false;
    };
  }

  /** Predecessors that are executable, looking through pseudo and unrunnable actions. */
  private static void collectRealPredecessors(int action, Map<Integer, Set<Integer>> preds, Map<Integer, String> ids,
      Set<String> out, Set<Integer> seen) {
    for (int p : preds.getOrDefault(action, Set.of())) {
      if (!seen.add(p)) continue;
      if (ids.containsKey(p)) {
        out.add(ids.get(p));
      } else {
        collectRealPredecessors(p, preds, ids, out, seen);
      }
    }
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isEmpty() {
    return actions.isEmpty();
  }

  /** The set of action ids, for comparing what two plans would do. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public Set<String> ids() {
    Set<String> s = new TreeSet<>();
    actions.forEach(a -> s.add(a.id()));
    return s;
  }

  public String encode() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode plan", e);
    }
  }

  /** Decodes a payload; a payload that is not a plan yields the empty plan and never throws. */
  public static Plan decode(String payload) {
    if (payload == null || payload.isBlank()) return EMPTY;
    try {
      Plan p = JSON.readValue(payload, Plan.class);
      return p.actions() == null ? EMPTY : p;
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      return EMPTY;
    }
  }
}
