package io.vigil.exec.metadata;

import io.vigil.model.Durations;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses OCF meta-data XML safely: DTDs are not processed (so neither external entities nor
 * entity-expansion bombs can act; a reference to an entity is an error), and the input size,
 * nesting depth and element count are bounded.
 */
public final class MetadataParser {
  static final int MAX_CHARS = 4 << 20;
  static final int MAX_DEPTH = 16;
  static final int MAX_ELEMENTS = 20_000;

  private MetadataParser() {}

  /** Parses {@code xml} (the output of the agent's meta-data action) of agent {@code source}. */
  public static AgentMetadata parse(String source, String xml) throws MetadataException {
    XmlNode root = tree(source, xml);
    if (!root.name().equals("resource-agent")) {
      throw new MetadataException(source + ": meta-data line " + root.line()
          + ": root element is <" + root.name() + ">, expected <resource-agent>");
    }
    List<ParameterSpec> params = new ArrayList<>();
    for (XmlNode p : root.child("parameters").map(n -> n.all("parameter")).orElse(List.of())) {
      String name = p.attr("name").orElse("");
      if (name.isBlank()) {
        throw new MetadataException(source + ": meta-data line " + p.line() + ": <parameter> has no name attribute");
      }
      Optional<XmlNode> content = p.child("content");
      params.add(new ParameterSpec(name,
          content.flatMap(c -> c.attr("type")).orElse("string"),
          flag(p.attr("required")), flag(p.attr("unique")) || flag(p.attr("unique-group").map(x -> "1")),
          content.flatMap(c -> c.attr("default")),
          p.childText("shortdesc"), p.childText("longdesc"), flag(p.attr("deprecated"))));
    }
    List<ActionSpec> actions = new ArrayList<>();
    for (XmlNode a : root.child("actions").map(n -> n.all("action")).orElse(List.of())) {
      if (a.attr("name").orElse("").isBlank()) {
        throw new MetadataException(source + ": meta-data line " + a.line() + ": <action> has no name attribute");
      }
      actions.add(new ActionSpec(a.attr("name").get(),
          duration(source, a, "timeout"), duration(source, a, "interval"),
          a.attr("depth").flatMap(MetadataParser::integer),
          a.attr("role")));
    }
    return new AgentMetadata(root.attr("name").orElse(""),
        root.childText("version").isEmpty() ? root.attr("version").orElse("") : root.childText("version"),
        root.childText("shortdesc"), root.childText("longdesc"), params, actions, xml);
  }

  private static Optional<Duration> duration(String source, XmlNode a, String attr) throws MetadataException {
    Optional<String> v = a.attr(attr);
    if (v.isEmpty() || v.get().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Durations.parse(v.get()));
    } catch (IllegalArgumentException e) {
      throw new MetadataException(source + ": meta-data line " + a.line() + ": action '"
          + a.attr("name").orElse("?") + "' " + attr + "=\"" + v.get() + "\": " + e.getMessage());
    }
  }

  private static Optional<Integer> integer(String s) {
    try {
      return Optional.of(Integer.parseInt(s.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean flag(Optional<String> v) {
    return v.map(s -> s.equals("1") || s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes")).orElse(false);
  }

  static XmlNode tree(String source, String xml) throws MetadataException {
    if (xml == null || xml.isBlank()) {
      throw new MetadataException(source + ": meta-data is empty, expected <resource-agent> XML");
    }
    if (xml.length() > MAX_CHARS) {
      throw new MetadataException(source + ": meta-data is " + xml.length() + " characters, more than the "
          + MAX_CHARS + " allowed");
    }
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    f.setXMLResolver((publicId, systemId, baseUri, ns) -> {
      throw new XMLStreamException("external resource " + systemId + " refused");
    });
    Deque<Builder> stack = new ArrayDeque<>();
    XmlNode root = null;
    int elements = 0;
    XMLStreamReader r = null;
    try {
      r = f.createXMLStreamReader(new StringReader(xml));
      while (r.hasNext()) {
        int ev = r.next();
        switch (ev) {
          case XMLStreamConstants.START_ELEMENT -> {
            if (++elements > MAX_ELEMENTS || stack.size() >= MAX_DEPTH) {
              throw new MetadataException(source + ": meta-data line " + r.getLocation().getLineNumber()
                  + ": more than " + MAX_ELEMENTS + " elements or deeper than " + MAX_DEPTH + " levels");
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 0; i < r.getAttributeCount(); i++) {
              attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
            }
            stack.push(new Builder(r.getLocalName(), attrs, r.getLocation().getLineNumber()));
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            if (!stack.isEmpty()) {
              stack.peek().text.append(r.getText());
            }
          }
          case XMLStreamConstants.ENTITY_REFERENCE -> throw new MetadataException(source + ": meta-data line "
              + r.getLocation().getLineNumber() + ": entity reference &" + r.getLocalName()
              + "; is not allowed (DTDs and entities are not processed)");
          case XMLStreamConstants.END_ELEMENT -> {
            XmlNode done = stack.pop().build();
            if (stack.isEmpty()) {
              root = done;
            } else {
              stack.peek().children.add(done);
            }
          }
          default -> { }
        }
      }
    } catch (XMLStreamException e) {
      String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNumber() + " column "
          + e.getLocation().getColumnNumber();
      throw new MetadataException(source + ": meta-data is not well-formed XML (" + where.strip() + "): "
          + firstLine(e.getMessage()), e);
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // Nothing to release for a string reader.
        }
      }
    }
    if (root == null) {
      throw new MetadataException(source + ": meta-data has no root element, expected <resource-agent>");
    }
    return root;
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "unknown error";
    }
    int msg = m.indexOf("Message: ");
    String s = msg >= 0 ? m.substring(msg + 9) : m;
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static final class Builder {
    final String name;
    final Map<String, String> attrs;
    final int line;
    final StringBuilder text = new StringBuilder();
    final List<XmlNode> children = new ArrayList<>();

    Builder(String name, Map<String, String> attrs, int line) {
      this.name = name;
      this.attrs = attrs;
      this.line = line;
    }

    XmlNode build() {
      return new XmlNode(name, Map.copyOf(attrs), List.copyOf(children), text.toString(), line);
    }
  }
}
