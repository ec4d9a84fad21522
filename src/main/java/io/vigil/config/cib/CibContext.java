package io.vigil.config.cib;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What every converter of one import shares: the id index (for {@code id-ref}), element helpers
 * and the notes collected so far.
 */
final class CibContext {
  private final Map<String, Element> byId = new HashMap<>();
  /** Enough for any real CIB; beyond it a hostile file would flood the operator's terminal. */
  static final int MAX_NOTES = 1000;

  private final List<ImportNote> notes = new ArrayList<>();
  private int notesLeftOut;
  /** Names of nodes left out (remote and guest nodes), so references to them can say why. */
  private final java.util.Set<String> skippedNodes = new java.util.HashSet<>();

  CibContext(Element configuration) {
    index(configuration);
  }

  private void index(Element root) {
    for (Element e : descendants(root)) {
      String id = e.getAttribute("id");
      if (!id.isEmpty()) byId.putIfAbsent(id, e);
    }
  }

  private static List<Element> descendants(Element root) {
    List<Element> out = new ArrayList<>();
    // Iterative walk: the parser bounds depth, but a walk over it should not use the call stack.
    List<Element> stack = new ArrayList<>(List.of(root));
    while (!stack.isEmpty()) {
      Element e = stack.remove(stack.size() - 1);
      out.add(e);
      List<Element> kids = children(e);
      for (int i = kids.size() - 1; i >= 0; i--) stack.add(kids.get(i));
    }
    return out;
  }

  void nodeSkipped(String name) {
    skippedNodes.add(name);
  }

  boolean wasNodeSkipped(String name) {
    return skippedNodes.contains(name);
  }

  List<ImportNote> notes() {
    if (notesLeftOut == 0) return List.copyOf(notes);
    List<ImportNote> out = new ArrayList<>(notes);
    out.add(new ImportNote(ImportNote.Kind.SKIPPED, "the rest of the configuration",
        notesLeftOut + " more notes not listed (at most " + MAX_NOTES + " are)"));
    return List.copyOf(out);
  }

  private void add(ImportNote note) {
    if (notes.size() < MAX_NOTES) notes.add(note);
    else notesLeftOut++;
  }

  /** Child elements in document order. */
  static List<Element> children(Element e) {
    List<Element> out = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) out.add(c);
    }
    return out;
  }

  /** Child elements named {@code tag}, each with its {@code id-ref} resolved (unresolvable ones noted and left out). */
  List<Element> children(Element e, String tag) {
    List<Element> out = new ArrayList<>();
    for (Element c : children(e)) {
      if (c.getTagName().equals(tag)) resolve(c).ifPresent(out::add);
    }
    return out;
  }

  static Optional<Element> firstChild(Element e, String tag) {
    return children(e).stream().filter(c -> c.getTagName().equals(tag)).findFirst();
  }

  /** The attribute's value; empty when absent. */
  static Optional<String> attr(Element e, String name) {
    return e.hasAttribute(name) ? Optional.of(e.getAttribute(name)) : Optional.empty();
  }

  /**
   * The element itself, or the element its {@code id-ref} names (it must have the same tag).
   * An unresolvable reference is noted and gives empty.
   */
  Optional<Element> resolve(Element e) {
    if (!e.hasAttribute("id-ref")) return Optional.of(e);
    String ref = e.getAttribute("id-ref");
    Element target = byId.get(ref);
    if (target == null) {
      skip(e, "id-ref '" + ref + "' names no element in the configuration");
      return Optional.empty();
    }
    if (!target.getTagName().equals(e.getTagName())) {
      skip(e, "id-ref '" + ref + "' names a <" + target.getTagName() + ">, expected a <" + e.getTagName() + ">");
      return Optional.empty();
    }
    return Optional.of(target);
  }

  /** A readable location: {@code resources/clone 'c'/primitive 'p'}. */
  static String where(Element e) {
    List<String> parts = new ArrayList<>();
    for (Node n = e; n instanceof Element el; n = n.getParentNode()) {
      String tag = el.getTagName();
      if (tag.equals("configuration") || tag.equals("cib")) break;
      String id = el.hasAttribute("id") ? el.getAttribute("id") : el.getAttribute("id-ref");
      parts.add(0, id.isEmpty() ? tag : tag + " '" + id + "'");
    }
    return String.join("/", parts);
  }

  void skip(Element e, String reason) {
    skip(where(e), reason);
  }

  void skip(String where, String reason) {
    add(new ImportNote(ImportNote.Kind.SKIPPED, where, reason));
  }

  void adjust(Element e, String reason) {
    adjust(where(e), reason);
  }

  void adjust(String where, String reason) {
    add(new ImportNote(ImportNote.Kind.ADJUSTED, where, reason));
  }
}
