package io.vigil.status.cib;

import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads a CIB's {@code <status>} section: every {@code node_state} with its membership fields,
 * transient attributes and {@code lrm_rsc_op} history, plus quorum, DC and execution date from
 * the root. Malformed entries are skipped with a warning, as Pacemaker does; only a document that
 * is not a CIB is an error.
 */
public final class CibStatusReader {

  /** The status and what was skipped, each warning naming the entry and why. */
  public record Result(ClusterStatus status, List<String> warnings) {}

  private CibStatusReader() {}

  public static Result read(String xml, String source) throws CibStatusException {
    return read(SafeXml.parse(xml, source), source);
  }

  public static Result read(Document doc, String source) throws CibStatusException {
    Element cib = doc.getDocumentElement();
    if (cib == null || !cib.getTagName().equals("cib")) {
      throw new CibStatusException(source + ": root element is <"
          + (cib == null ? "" : cib.getTagName()) + ">, expected <cib>");
    }
    List<String> warnings = new ArrayList<>();
    Map<String, String> unameById = new LinkedHashMap<>();
    Element nodes = SafeXml.child(SafeXml.child(cib, "configuration"), "nodes");
    for (Element n : SafeXml.children(nodes, "node")) {
      String id = SafeXml.attr(n, "id");
      String uname = SafeXml.attr(n, "uname");
      if (id != null && uname != null) unameById.put(id, uname);
    }
    boolean quorum = truthy(SafeXml.attr(cib, "have-quorum"));
    String dcId = SafeXml.attr(cib, "dc-uuid");
    Optional<String> dc = Optional.ofNullable(dcId).map(id -> unameById.getOrDefault(id, id));
    Optional<Instant> executionDate = Optional.empty();
    String ed = SafeXml.attr(cib, "execution-date");
    if (ed != null) {
      try {
        executionDate = Optional.of(Instant.ofEpochSecond(Long.parseLong(ed.strip())));
      } catch (NumberFormatException e) {
        warnings.add(source + ": <cib execution-date='" + ed + "'> is not epoch seconds; ignored");
      }
    }
    List<NodeStatus> out = new ArrayList<>();
    Element status = SafeXml.child(cib, "status");
    int index = 0;
    for (Element ns : SafeXml.children(status, "node_state")) {
      index++;
      String id = SafeXml.attr(ns, "id");
      String uname = SafeXml.attr(ns, "uname");
      if (uname == null || uname.isBlank()) uname = id == null ? null : unameById.get(id);
      if (uname == null || uname.isBlank()) {
        warnings.add(source + ": node_state #" + index + " (id=" + id + ") has no uname and no configured node; skipped");
        continue;
      }
      out.add(readNode(ns, id, uname, source, warnings));
    }
    return new Result(new ClusterStatus(out, quorum, dc, executionDate), List.copyOf(warnings));
  }

  private static NodeStatus readNode(Element ns, String id, String uname, String source, List<String> warnings) {
    Map<String, String> attrs = new LinkedHashMap<>();
    Map<String, Integer> utilization = new LinkedHashMap<>();
    for (Element ta : SafeXml.children(ns, "transient_attributes")) {
      for (Element u : SafeXml.children(ta, "utilization")) {
        for (Element nv : SafeXml.children(u, "nvpair")) {
          String name = SafeXml.attr(nv, "name");
          String value = SafeXml.attr(nv, "value");
          try {
            if (name != null && value != null) utilization.put(name, Integer.parseInt(value.strip()));
          } catch (NumberFormatException e) {
            warnings.add(source + ": node '" + uname + "' utilization '" + name + "' is '" + value
                + "', expected an integer; ignored");
          }
        }
      }
      for (Element ia : SafeXml.children(ta, "instance_attributes")) {
        for (Element nv : SafeXml.children(ia, "nvpair")) {
          String name = SafeXml.attr(nv, "name");
          String value = SafeXml.attr(nv, "value");
          if (name != null && value != null) attrs.put(name, value);
        }
      }
    }
    List<ResourceHistory> histories = new ArrayList<>();
    Element lrmResources = SafeXml.child(SafeXml.child(ns, "lrm"), "lrm_resources");
    for (Element lr : SafeXml.children(lrmResources, "lrm_resource")) {
      String rid = SafeXml.attr(lr, "id");
      if (rid == null || rid.isBlank()) {
        warnings.add(source + ": node '" + uname + "': lrm_resource without id; skipped");
        continue;
      }
      String cls = SafeXml.attr(lr, "class");
      String prov = SafeXml.attr(lr, "provider");
      String type = SafeXml.attr(lr, "type");
      String agent = (cls == null ? "" : cls) + (prov == null ? "" : ":" + prov) + (type == null ? "" : ":" + type);
      List<OpRecord> ops = new ArrayList<>();
      for (Element op : SafeXml.children(lr, "lrm_rsc_op")) {
        try {
          ops.add(readOp(op));
        } catch (IllegalArgumentException e) {
          warnings.add(source + ": node '" + uname + "', resource '" + rid + "', operation '"
              + SafeXml.attr(op, "id") + "': " + e.getMessage() + "; skipped");
        }
      }
      histories.add(new ResourceHistory(rid, agent, ops));
    }
    return new NodeStatus(uname, id, Optional.ofNullable(SafeXml.attr(ns, "in_ccm")),
        Optional.ofNullable(SafeXml.attr(ns, "crmd")), Optional.ofNullable(SafeXml.attr(ns, "join")),
        Optional.ofNullable(SafeXml.attr(ns, "expected")), attrs, histories, utilization);
  }

  private static OpRecord readOp(Element op) {
    String id = require(op, "id");
    String operation = require(op, "operation");
    long interval = parseLong(op, "interval", 0);
    int rc = (int) parseLong(op, "rc-code", 0);
    int opStatus = (int) parseLong(op, "op-status", 0);
    int callId = (int) parseLong(op, "call-id", 0);
    int expected = expectedRc(SafeXml.attr(op, "transition-key"));
    long lrc = parseLong(op, "last-rc-change", 0);
    if (lrc == 0) lrc = parseLong(op, "last-run", 0);
    Optional<Instant> lastChange = lrc > 0 ? Optional.of(Instant.ofEpochSecond(lrc)) : Optional.empty();
    long exec = parseLong(op, "exec-time", 0);
    return new OpRecord(id, operation, interval, rc, opStatus, callId, expected, lastChange, exec,
        Optional.ofNullable(SafeXml.attr(op, "migrate_source")),
        Optional.ofNullable(SafeXml.attr(op, "migrate_target")));
  }

  /** The expected result is the third field of {@code action:transition:target-rc:uuid}. */
  static int expectedRc(String transitionKey) {
    if (transitionKey == null) return -1;
    String[] parts = transitionKey.split(":", 4);
    if (parts.length < 4) return -1;
    try {
      return Integer.parseInt(parts[2].strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String require(Element e, String name) {
    String v = SafeXml.attr(e, name);
    if (v == null || v.isBlank()) throw new IllegalArgumentException("missing attribute '" + name + "'");
    return v;
  }

  private static long parseLong(Element e, String name, long dflt) {
    String v = SafeXml.attr(e, name);
    if (v == null || v.isBlank()) return dflt;
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("attribute '" + name + "' is '" + v + "', expected an integer");
    }
  }

  private static boolean truthy(String v) {
    if (v == null) return false;
    String t = v.strip().toLowerCase(java.util.Locale.ROOT);
    return t.equals("true") || t.equals("1") || t.equals("yes") || t.equals("on") || t.equals("y");
  }
}
