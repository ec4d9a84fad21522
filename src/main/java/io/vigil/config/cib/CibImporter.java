package io.vigil.config.cib;

import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Constraint;
import io.vigil.model.FencingLevel;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.OpDefaults;
import io.vigil.model.Resource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Converts a Pacemaker CIB's configuration section into a {@link ClusterConfig}, noting each
 * element it could not convert and why. The status section is ignored. Hostile or malformed
 * files are refused with a located message; everything else imports, possibly with notes.
 */
public final class CibImporter {
  private final long maxBytes;

  /** An importer refusing files larger than 32 MiB. */
  public CibImporter() {
    this(SecureXml.DEFAULT_MAX_BYTES);
  }

  public CibImporter(long maxBytes) {
    if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes " + maxBytes + " (expected > 0)");
    this.maxBytes = maxBytes;
  }

  /** Imports {@code file}; messages name it as given. */
  public CibImport importFile(Path file) throws CibRefusedException {
    String source = file.toString();
    return importBytes(SecureXml.read(file, source, maxBytes), source);
  }

  /** Imports a CIB read from {@code in} (e.g. {@code cibadmin --query | vigil import-cib -}). */
  public CibImport importStream(java.io.InputStream in, String source) throws CibRefusedException {
    return importBytes(SecureXml.read(in, source, maxBytes), source);
  }

  /**
   * Imports XML text. {@code source} names the input in messages ({@code cib.xml:3:5: ...}); its
   * base name (without .xml) names the configuration when the CIB has no cluster-name.
   */
  public CibImport importBytes(byte[] xml, String source) throws CibRefusedException {
    return importDocument(SecureXml.parse(xml, source, maxBytes), source);
  }

  /**
   * As {@link #importBytes}, but reads the XML only up to the end of the configuration section:
   * for a caller that reads the status section itself (vigil simulate, in parallel), which must
   * then also report a malformed document after the configuration.
   */
  public CibImport importConfiguration(byte[] xml, String source) throws CibRefusedException {
    return importDocument(SecureXml.parseConfiguration(xml, source, maxBytes), source);
  }

  private CibImport importDocument(Document doc, String source) throws CibRefusedException {
    Element root = doc.getDocumentElement();
    Element configuration = switch (root.getTagName()) {
      case "configuration" -> root;
      case "cib" -> CibContext.firstChild(root, "configuration").orElseThrow(() ->
          new CibRefusedException(source + ": <cib> has no <configuration> section"));
      default -> throw new CibRefusedException(source + ": root element is <" + root.getTagName()
          + ">, expected <cib> (a Pacemaker CIB, e.g. from cibadmin --query)");
    };
    try {
      return convert(configuration, defaultName(source));
    } catch (RuntimeException e) {
      // A converter bug must still not surface as a stack trace to the operator.
      throw new CibRefusedException(source + ": cannot convert this CIB (" + e + "); please report it", e);
    }
  }

  private static String defaultName(String source) {
    String base = Path.of(source).getFileName() == null ? "cluster" : Path.of(source).getFileName().toString();
    if (base.endsWith(".xml")) base = base.substring(0, base.length() - 4);
    return base.isEmpty() ? "cluster" : base;
  }

  private CibImport convert(Element configuration, String defaultName) {
    CibContext ctx = new CibContext(configuration);
    AttributeSets sets = new AttributeSets(ctx);
    PropertyReader properties = new PropertyReader(ctx, sets);
    ResourceReader resourceReader = new ResourceReader(ctx, sets);
    List<Node> nodes = new ArrayList<>();
    List<Resource> resources = new ArrayList<>();
    List<FencingLevel> levels = new ArrayList<>();
    Element constraints = null;
    Element tags = null;
    Map<String, String> crmConfig = Map.of();
    Map<String, String> rscDefaults = Map.of();
    Map<String, String> opDefaults = Map.of();
    for (Element section : CibContext.children(configuration)) {
      switch (section.getTagName()) {
        case "crm_config" -> crmConfig = sets.read(section, "cluster_property_set", "cib-bootstrap-options");
        case "nodes" -> nodes.addAll(new NodeReader(ctx, sets).read(section));
        case "resources" -> resources.addAll(resourceReader.read(section));
        case "constraints" -> constraints = section;
        case "rsc_defaults" -> rscDefaults = sets.read(section, "meta_attributes");
        case "op_defaults" -> opDefaults = sets.read(section, "meta_attributes");
        case "fencing-topology" -> levels.addAll(fencingLevels(ctx, section));
        case "tags" -> tags = section;
        case "alerts" -> ctx.skip(section, "alerts are not supported (Vigil records every action in its history)");
        case "acls" -> ctx.skip(section, "ACLs are not supported");
        default -> ctx.skip(section, "unknown configuration section <" + section.getTagName() + ">");
      }
    }
    PropertyReader.Result props = properties.convert(crmConfig, rscDefaults, opDefaults);
    Set<String> imported = new HashSet<>();
    for (Resource r : resources) collectIds(r, imported);
    Map<String, List<String>> expansions = new LinkedHashMap<>(resourceReader.templateUsers());
    if (tags != null) expansions.putAll(tags(ctx, tags));
    ConstraintReader constraintReader =
        new ConstraintReader(ctx, imported, definedResources(configuration), expansions, cloneIds(resources));
    List<Constraint> converted = constraints == null ? List.of() : constraintReader.read(constraints);
    ClusterConfig config = new ClusterConfig(props.clusterName().orElse(defaultName), nodes, resources, converted,
        new ClusterProperties(props.properties()), new Meta(props.resourceDefaults()),
        new OpDefaults(props.operationDefaults()), levels);
    return new CibImport(new Reconciler(ctx, constraintReader.requireAnyOrders()).reconcile(config), ctx.notes());
  }

  private static void collectIds(Resource r, Set<String> out) {
    out.add(r.id());
    r.children().forEach(c -> collectIds(c, out));
  }

  private static Set<String> cloneIds(List<Resource> resources) {
    Set<String> out = new HashSet<>();
    for (Resource r : resources) {
      if (r instanceof io.vigil.model.Clone c) out.add(c.id());
    }
    return out;
  }

  private static Set<String> definedResources(Element configuration) {
    Set<String> out = new HashSet<>();
    CibContext.firstChild(configuration, "resources").ifPresent(res -> collectDefined(res, out));
    return out;
  }

  private static void collectDefined(Element e, Set<String> out) {
    for (Element c : CibContext.children(e)) {
      if (Set.of("primitive", "group", "clone", "master", "bundle").contains(c.getTagName())) {
        out.add(c.getAttribute("id"));
        collectDefined(c, out);
      }
    }
  }

  private static Map<String, List<String>> tags(CibContext ctx, Element tags) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Element tag : ctx.children(tags, "tag")) {
      List<String> ids = new ArrayList<>();
      for (Element ref : ctx.children(tag, "obj_ref")) ids.add(ref.getAttribute("id"));
      out.put(tag.getAttribute("id"), ids);
    }
    return out;
  }

  private static List<FencingLevel> fencingLevels(CibContext ctx, Element topology) {
    List<FencingLevel> out = new ArrayList<>();
    for (Element level : CibContext.children(topology)) {
      if (!level.getTagName().equals("fencing-level")) {
        ctx.skip(level, "unexpected <" + level.getTagName() + "> in fencing-topology (expected fencing-level)");
        continue;
      }
      if (level.hasAttribute("target-attribute")) {
        ctx.skip(level, "targets chosen by node attribute (target-attribute) are not supported; use target or target-pattern");
        continue;
      }
      boolean pattern = level.hasAttribute("target-pattern");
      String target = pattern ? level.getAttribute("target-pattern") : level.getAttribute("target");
      if (target.isEmpty()) {
        ctx.skip(level, "no target (expected target or target-pattern)");
        continue;
      }
      try {
        int index = Integer.parseInt(level.getAttribute("index").strip());
        List<String> devices = List.of(level.getAttribute("devices").split("\\s*,\\s*")).stream()
            .map(String::strip).filter(d -> !d.isEmpty()).toList();
        out.add(new FencingLevel(target, pattern, index, devices));
      } catch (NumberFormatException e) {
        ctx.skip(level, "index '" + level.getAttribute("index") + "' is not an integer (expected 1..9)");
      } catch (IllegalArgumentException e) {
        ctx.skip(level, e.getMessage());
      }
    }
    return out;
  }
}
