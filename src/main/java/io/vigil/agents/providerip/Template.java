package io.vigil.agents.providerip;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A string with {@code ${address}} and {@code ${self}} placeholders. Unknown placeholders are
 * rejected when the configuration is read; values are pre-validated tokens, so no escaping.
 */
public record Template(String text) {
  private static final Pattern VAR = Pattern.compile("\\$\\{([^}]*)}");
  static final java.util.Set<String> NAMES = java.util.Set.of("address", "self");

  public Template {
    Matcher m = VAR.matcher(text);
    while (m.find()) {
      if (!NAMES.contains(m.group(1))) {
        throw new IllegalArgumentException("unknown placeholder ${" + m.group(1) + "}, expected ${address} or ${self}");
      }
    }
  }

  /** Substitutes the placeholders. */
  public String expand(Map<String, String> values) {
    Matcher m = VAR.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
