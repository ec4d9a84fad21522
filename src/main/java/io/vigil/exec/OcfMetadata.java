package io.vigil.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes OCF meta-data XML for built-in agents from their parameter definitions, so the
 * documentation an operator reads ({@code vigil agent info builtin:ip}) is the code's own.
 */
public final class OcfMetadata {
  /** One parameter as meta-data declares it. */
  public record Param(String name, boolean required, String type, String defaultValue, String doc) {}

  private final String name;
  private final String shortDesc;
  private final String longDesc;
  private final List<Param> params = new ArrayList<>();
  private final List<String> actions = new ArrayList<>();

  private OcfMetadata(String name, String shortDesc, String longDesc) {
    this.name = name;
    this.shortDesc = shortDesc;
    this.longDesc = longDesc;
  }

  public static OcfMetadata of(String name, String shortDesc, String longDesc) {
    return new OcfMetadata(name, shortDesc, longDesc);
  }

  public OcfMetadata param(String paramName, boolean required, String type, String defaultValue, String doc) {
    params.add(new Param(paramName, required, type, defaultValue, doc));
    return this;
  }

  /** Adds an action with its default timeout (and interval for monitor, "0" for none). */
  public OcfMetadata action(String actionName, String timeout, String interval) {
    actions.add("    <action name=\"" + esc(actionName) + "\" timeout=\"" + esc(timeout) + "\""
        + (interval == null ? "" : " interval=\"" + esc(interval) + "\"") + "/>");
    return this;
  }

  /** The standard action set of a non-promotable agent. */
  public OcfMetadata standardActions(String startTimeout, String monitorInterval) {
    return action("start", startTimeout, null).action("stop", "20s", null)
        .action("monitor", "20s", monitorInterval).action("validate-all", "20s", null).action("meta-data", "5s", null);
  }

  public String toXml() {
    StringBuilder sb = new StringBuilder();
    sb.append("<?xml version=\"1.0\"?>\n<resource-agent name=\"").append(esc(name)).append("\" version=\"1.0\">\n")
        .append("  <version>1.1</version>\n")
        .append("  <longdesc lang=\"en\">").append(esc(longDesc)).append("</longdesc>\n")
        .append("  <shortdesc lang=\"en\">").append(esc(shortDesc)).append("</shortdesc>\n  <parameters>\n");
    for (Param p : params) {
      sb.append("    <parameter name=\"").append(esc(p.name())).append("\" required=\"").append(p.required() ? 1 : 0)
          .append("\" unique=\"0\">\n      <longdesc lang=\"en\">").append(esc(p.doc())).append("</longdesc>\n")
          .append("      <shortdesc lang=\"en\">").append(esc(p.doc())).append("</shortdesc>\n")
          .append("      <content type=\"").append(esc(p.type())).append('"');
      if (p.defaultValue() != null) sb.append(" default=\"").append(esc(p.defaultValue())).append('"');
      sb.append("/>\n    </parameter>\n");
    }
    sb.append("  </parameters>\n  <actions>\n");
    actions.forEach(a -> sb.append(a).append('\n'));
    return sb.append("  </actions>\n</resource-agent>\n").toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
