package io.vigil.config.cib;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.Text;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Builds a DOM of a CIB's root element and its {@code <configuration>} from SAX events, and ends the
 * parse as soon as the configuration is complete: the status section, most of a large CIB's bytes,
 * is neither built nor scanned. A root-level {@code <status>} met before the configuration is
 * scanned but not built. Comments and processing instructions are left out, as the importer ignores them.
 */
final class ConfigurationDom extends DefaultHandler {
  /** Thrown to end the parse once the configuration is complete; never leaves {@link SecureXml}. */
  static final class Complete extends SAXException {
    Complete() {
      super("configuration complete", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private final Document doc;
  private Node current;
  private int depth;
  /** Depth of the root-level status element being skipped, or 0. */
  private int skipping;

  ConfigurationDom(Document empty) {
    this.doc = empty;
    this.current = empty;
  }

  Document document() {
    return doc;
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes attributes) {
    depth++;
    if (skipping > 0) return;
    if (depth == 2 && qName.equals("status")) {
      skipping = depth;
      return;
    }
    Element e = doc.createElement(qName);
    for (int i = 0; i < attributes.getLength(); i++) e.setAttribute(attributes.getQName(i), attributes.getValue(i));
    current.appendChild(e);
    current = e;
  }

  @Override
  public void endElement(String uri, String localName, String qName) throws SAXException {
    int level = depth--;
    if (skipping > 0) {
      if (level == skipping) skipping = 0;
      return;
    }
    current = current.getParentNode();
    if (level == 2 && qName.equals("configuration")) throw new Complete();
  }

  @Override
  public void characters(char[] ch, int start, int length) {
    if (skipping > 0 || depth == 0) return;
    // one text node per run of characters, as a coalescing DOM parser makes
    if (current.getLastChild() instanceof Text t) t.appendData(new String(ch, start, length));
    else current.appendChild(doc.createTextNode(new String(ch, start, length)));
  }
}
