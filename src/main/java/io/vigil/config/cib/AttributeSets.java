package io.vigil.config.cib;

import io.vigil.model.AttributeKey;
import io.vigil.model.KeyRegistry;
import io.vigil.model.Score;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * Reads Pacemaker name/value sets ({@code instance_attributes}, {@code meta_attributes},
 * {@code utilization}, {@code cluster_property_set}) and checks them against Vigil's typed keys.
 */
final class AttributeSets {
  private final CibContext ctx;
  /** Read results by owner and set tag: a template's sets are read once, so their notes appear once. */
  private final Map<Element, Map<String, Map<String, String>>> cache = new java.util.IdentityHashMap<>();

  AttributeSets(CibContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The merged values of {@code owner}'s sets named {@code setTag}. As in Pacemaker, sets are
   * applied by descending score and the first set to name a key wins; {@code preferredId} (e.g.
   * cib-bootstrap-options) wins ties. Sets with rules apply only sometimes, which Vigil cannot
   * express, so they are skipped with a note.
   */
  Map<String, String> read(Element owner, String setTag, String preferredId) {
    Map<String, String> cached = cache.computeIfAbsent(owner, k -> new java.util.HashMap<>()).get(setTag);
    if (cached == null) {
      cached = readSets(owner, setTag, preferredId);
      cache.get(owner).put(setTag, cached);
    }
    return new LinkedHashMap<>(cached);
  }

  private Map<String, String> readSets(Element owner, String setTag, String preferredId) {
    List<Element> sets = new ArrayList<>(ctx.children(owner, setTag));
    if (sets.isEmpty()) return Map.of(); // most owners (every op, most primitives) have none
    if (sets.size() > 1) {
      sets.sort(Comparator.comparing((Element s) -> -setScore(s))
          .thenComparing(s -> preferredId != null && preferredId.equals(s.getAttribute("id")) ? 0 : 1));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Element set : sets) {
      if (CibContext.firstChild(set, "rule").isPresent()) {
        ctx.skip(set, "attribute sets with rules (conditional values) are not supported");
        continue;
      }
      for (Element nv : CibContext.children(set)) {
        if (!nv.getTagName().equals("nvpair")) {
          ctx.skip(nv, "unexpected <" + nv.getTagName() + "> in an attribute set (expected nvpair)");
          continue;
        }
        Optional<Element> target = ctx.resolve(nv);
        if (target.isEmpty()) continue;
        String name = nv.hasAttribute("name") ? nv.getAttribute("name") : target.get().getAttribute("name");
        if (name.isEmpty()) {
          ctx.skip(nv, "nvpair without a name");
          continue;
        }
        if (!target.get().hasAttribute("value")) {
          ctx.skip(nv, "nvpair '" + name + "' has no value");
          continue;
        }
        String value = target.get().getAttribute("value");
        // Pacemaker's "#default" means "not set here".
        if (!value.equalsIgnoreCase("#default")) out.putIfAbsent(name, value);
      }
    }
    return out;
  }

  Map<String, String> read(Element owner, String setTag) {
    return read(owner, setTag, null);
  }

  private int setScore(Element set) {
    if (!set.hasAttribute("score")) return 0;
    try {
      return Score.parse(set.getAttribute("score")).value();
    } catch (IllegalArgumentException e) {
      ctx.adjust(set, "set score '" + set.getAttribute("score") + "' is not a score; treated as 0");
      return 0;
    }
  }

  /**
   * The entries of {@code raw} that {@code keys} knows and accepts; every other entry is noted.
   * {@code otherReasons} explains known Pacemaker names that Vigil deliberately lacks.
   */
  Map<String, String> typed(Map<String, String> raw, KeyRegistry keys, String where,
      Map<String, String> otherReasons) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach((name, value) -> {
      Optional<AttributeKey<?>> key = keys.find(name);
      if (key.isEmpty()) {
        String reason = otherReasons.get(name);
        if (reason == null) reason = "unknown " + keys.kind() + similar(name, keys);
        if (!reason.isEmpty()) ctx.skip(where + " " + keys.kind() + " '" + name + "'", reason);
        return;
      }
      try {
        key.get().canonical(value);
        out.put(name, value);
      } catch (IllegalArgumentException e) {
        // Pacemaker reads integers with strtol, so "2.0" is 2.
        if (value.strip().matches("[+-]?\\d+\\.0*")) {
          String whole = value.strip().substring(0, value.strip().indexOf('.'));
          try {
            key.get().canonical(whole);
            out.put(name, whole);
            ctx.adjust(where + " " + keys.kind() + " '" + name + "'", "value '" + value + "' written as " + whole);
            return;
          } catch (IllegalArgumentException again) {
            // fall through to the note below
          }
        }
        ctx.skip(where + " " + keys.kind() + " '" + name + "'",
            "value '" + value + "' is not accepted (expected " + key.get().expected() + ")");
      }
    });
    return out;
  }

  private static String similar(String name, KeyRegistry keys) {
    List<String> names = new ArrayList<>();
    keys.keys().forEach(k -> names.add(k.name()));
    names.addAll(keys.aliases().keySet());
    return io.vigil.model.Suggest.hint(name, names);
  }



  /** Utilization values: non-negative integers by name; others noted and left out. */
  Map<String, Integer> utilization(Element owner, String where) {
    Map<String, Integer> out = new LinkedHashMap<>();
    read(owner, "utilization").forEach((name, value) -> {
      try {
        int v = Integer.parseInt(value.strip());
        if (v < 0) throw new NumberFormatException();
        out.put(name, v);
      } catch (NumberFormatException e) {
        ctx.skip(where + " utilization '" + name + "'",
            "value '" + value + "' is not accepted (expected a non-negative integer)");
      }
    });
    return out;
  }
}
