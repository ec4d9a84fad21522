package io.vigil.fencing.device;

import io.vigil.fencing.FencingKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A fence agent's {@code metadata} output (the {@code <resource-agent>} XML), parsed with DTDs, external
 * entities and XInclude disabled, and used to validate a device's parameters before it is used.
 */
public record AgentMetadata(String agent, Map<String, Parameter> parameters, Set<String> actions) {
  static final int MAX_CHARS = 1 << 20;

  /** One parameter: {@code type} is string, integer, boolean, second or select (with {@code options}). */
  public record Parameter(String name, boolean required, boolean deprecated, Optional<String> obsoletes,
      String type, List<String> options, Optional<String> defaultValue) {}

  public AgentMetadata {
    parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    actions = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(actions));
  }

  /**
   * Parses metadata XML.
   *
   * @throws IllegalArgumentException "metadata of 'x' is not valid XML: ..." or names what is missing
   */
  public static AgentMetadata parse(String source, String xml) {
    if (xml.length() > MAX_CHARS) throw new IllegalArgumentException("metadata of '" + source + "' is larger than 1 MiB");
    Document doc;
    try {
      doc = builder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalArgumentException("metadata of '" + source + "' is not valid XML: " + e.getMessage(), e);
    }
    Element root = doc.getDocumentElement();
    if (!root.getTagName().equals("resource-agent")) {
      throw new IllegalArgumentException("metadata of '" + source + "' has root <" + root.getTagName()
          + ">, expected <resource-agent>");
    }
    Map<String, Parameter> params = new LinkedHashMap<>();
    NodeList ps = root.getElementsByTagName("parameter");
    for (int i = 0; i < ps.getLength(); i++) {
      Element p = (Element) ps.item(i);
      String name = p.getAttribute("name");
      if (name.isEmpty()) throw new IllegalArgumentException("metadata of '" + source + "' has a <parameter> without a name");
      String type = "string";
      List<String> options = new ArrayList<>();
      Optional<String> dflt = Optional.empty();
      NodeList cs = p.getElementsByTagName("content");
      if (cs.getLength() > 0) {
        Element c = (Element) cs.item(0);
        if (!c.getAttribute("type").isEmpty()) type = c.getAttribute("type");
        if (c.hasAttribute("default")) dflt = Optional.of(c.getAttribute("default"));
        NodeList os = c.getElementsByTagName("option");
        for (int j = 0; j < os.getLength(); j++) options.add(((Element) os.item(j)).getAttribute("value"));
      }
      params.put(name, new Parameter(name, "1".equals(p.getAttribute("required")), "1".equals(p.getAttribute("deprecated")),
          p.getAttribute("obsoletes").isEmpty() ? Optional.empty() : Optional.of(p.getAttribute("obsoletes")),
          type, List.copyOf(options), dflt));
    }
    Set<String> actions = new LinkedHashSet<>();
    NodeList as = root.getElementsByTagName("action");
    for (int i = 0; i < as.getLength(); i++) actions.add(((Element) as.item(i)).getAttribute("name"));
    return new AgentMetadata(root.getAttribute("name"), params, actions);
  }

  private static DocumentBuilder builder() throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    f.setNamespaceAware(false);
    DocumentBuilder b = f.newDocumentBuilder();
    b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
      @Override
      public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
        throw e;
      }

      @Override
      public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
        throw e;
      }
    });
    return b;
  }

  /**
   * Problems with a device's parameters against this metadata: unknown names (with a suggestion), values not
   * of the declared type or option list, and required parameters missing. Secrets count as present; their
   * values are never checked or shown.
   */
  public List<String> validate(String deviceId, Map<String, String> params, Set<String> secretNames) {
    List<String> problems = new ArrayList<>();
    String where = "fence device '" + deviceId + "' (" + agent + "): ";
    Set<String> given = new java.util.TreeSet<>(params.keySet());
    given.addAll(secretNames);
    for (String name : given) {
      if (FencingKeys.isVigilParam(name)) continue;
      Parameter p = parameters.get(name);
      if (p == null) {
        problems.add(where + "unknown parameter '" + name + "'" + suggestion(name));
        continue;
      }
      String v = params.get(name);
      if (v == null) continue;
      switch (p.type()) {
        case "integer" -> {
          if (!v.strip().matches("-?\\d{1,18}")) problems.add(where + "parameter '" + name + "' is '" + v + "', expected an integer");
        }
        case "boolean" -> {
          if (!v.strip().matches("(?i)0|1|true|false|yes|no|on|off")) {
            problems.add(where + "parameter '" + name + "' is '" + v + "', expected a boolean (0/1, true/false)");
          }
        }
        case "select" -> {
          if (!p.options().isEmpty() && !p.options().contains(v.strip())) {
            problems.add(where + "parameter '" + name + "' is '" + v + "', expected one of " + String.join(", ", p.options()));
          }
        }
        default -> { }
      }
    }
    for (Parameter p : parameters.values()) {
      if (!p.required() || p.name().equals("action") || p.name().equals("plug") || p.name().equals("port")) continue;
      boolean present = given.contains(p.name())
          || p.obsoletes().map(given::contains).orElse(false)
          || parameters.values().stream().anyMatch(q -> q.obsoletes().orElse("").equals(p.name()) && given.contains(q.name()));
      if (!present) problems.add(where + "required parameter '" + p.name() + "' is missing");
    }
    return problems;
  }

  private String suggestion(String name) {
    return io.vigil.model.Suggest.hint(name, parameters.keySet());
  }


}
