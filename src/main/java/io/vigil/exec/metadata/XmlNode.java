package io.vigil.exec.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A minimal immutable element tree built from StAX events (no DOM, no entity machinery). */
record XmlNode(String name, Map<String, String> attributes, List<XmlNode> children, String text, int line) {

  Optional<XmlNode> child(String childName) {
    return children.stream().filter(c -> c.name.equals(childName)).findFirst();
  }

  List<XmlNode> all(String childName) {
    List<XmlNode> out = new ArrayList<>();
    children.forEach(c -> {
      if (c.name.equals(childName)) {
        out.add(c);
      }
    });
    return out;
  }

  String childText(String childName) {
    return child(childName).map(c -> c.text.strip()).orElse("");
  }

  Optional<String> attr(String attrName) {
    return Optional.ofNullable(attributes.get(attrName));
  }
}
