package io.vigil.status.cib;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** A DOM parser that refuses DTDs and external entities (no XXE, no entity expansion bombs). */
public final class SafeXml {
  private SafeXml() {}

  /** Parses {@code text}; errors name {@code source} with line and column. */
  public static Document parse(String text, String source) throws CibStatusException {
    try {
      // the JDK's own parser: newInstance() would search every jar on the class path for another
      DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setNamespaceAware(false);
      // every node_state and operation is read: build the tree at once rather than on first access
      f.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      return b.parse(new InputSource(new StringReader(text)));
    } catch (SAXParseException e) {
      throw new CibStatusException(source + ":" + e.getLineNumber() + ":" + e.getColumnNumber()
          + ": not well-formed XML: " + e.getMessage(), e);
    } catch (SAXException | IOException | ParserConfigurationException e) {
      throw new CibStatusException(source + ": cannot parse XML: " + e.getMessage(), e);
    }
  }

  /** Direct child elements of {@code parent} named {@code name}. */
  public static List<Element> children(Node parent, String name) {
    List<Element> out = new ArrayList<>();
    if (parent == null) return out;
    for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element e && e.getTagName().equals(name)) out.add(e);
    }
    return out;
  }

  /** The first direct child element named {@code name}, or null. */
  public static Element child(Node parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0);
  }

  /** An attribute's value, or null when absent. */
  public static String attr(Element e, String name) {
    return e.hasAttribute(name) ? e.getAttribute(name) : null;
  }
}
