package io.vigil.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the command lines OCF agents give Pacemaker's attribute tools ({@code crm_attribute},
 * {@code crm_master}, {@code attrd_updater}) into one request on the Vigil cluster's node
 * attributes. Pure: the tool name, its arguments and the agent's environment in, a request or a
 * usage error out. Options take their value as the next word, attached ({@code -nNAME}) or after
 * {@code =} ({@code --name=NAME}), as Pacemaker's tools do.
 */
final class PacemakerAttributeArgs {
  private PacemakerAttributeArgs() {}

  enum Action { SET, DELETE, QUERY }

  /** Node attributes, or (queries only) the cluster's properties ({@code crm_attribute -t crm_config}). */
  enum Scope { NODE, PROPERTY }

  /**
   * One request.
   *
   * @param node the node whose attribute it is; empty means the local node
   * @param value the new value (SET), else null
   * @param fallback what a query prints when the attribute is not set ({@code -d}), else null
   * @param allNodes attrd_updater -A: the value on every node
   */
  record Request(String tool, Action action, Scope scope, String node, String name, String value, String fallback,
      boolean quiet, boolean allNodes) {}

  /** A command line that cannot be served: the tool prints the message and exits with 64 (usage). */
  static final class UsageError extends Exception {
    UsageError(String message) {
      super(message);
    }
  }

  /** One option of a tool: its short letter, long name, whether it takes a value (optional: may). */
  private record Opt(char shortName, String longName, int arity) {
    static final int FLAG = 0;
    static final int VALUE = 1;
    static final int OPTIONAL = 2;
  }

  private static final List<Opt> CRM_ATTRIBUTE = List.of(new Opt('n', "name", Opt.VALUE), new Opt('v', "update", Opt.VALUE),
      new Opt('v', "value", Opt.VALUE), new Opt('D', "delete", Opt.FLAG), new Opt('G', "query", Opt.FLAG),
      new Opt('q', "quiet", Opt.FLAG), new Opt('N', "node", Opt.VALUE), new Opt('t', "type", Opt.VALUE),
      new Opt('l', "lifetime", Opt.VALUE), new Opt('p', "promotion", Opt.OPTIONAL), new Opt('d', "default", Opt.VALUE),
      new Opt('z', "utilization", Opt.FLAG), new Opt('s', "set-name", Opt.VALUE), new Opt('i', "id", Opt.VALUE),
      new Opt('!', "master", Opt.OPTIONAL));
  private static final List<Opt> CRM_MASTER = List.of(new Opt('l', "lifetime", Opt.VALUE), new Opt('v', "update", Opt.VALUE),
      new Opt('D', "delete", Opt.FLAG), new Opt('G', "query", Opt.FLAG), new Opt('q', "quiet", Opt.FLAG),
      new Opt('N', "node", Opt.VALUE), new Opt('r', "resource-id", Opt.VALUE), new Opt('i', "id", Opt.VALUE));
  private static final List<Opt> ATTRD_UPDATER = List.of(new Opt('n', "name", Opt.VALUE), new Opt('U', "update", Opt.VALUE),
      new Opt('B', "update-both", Opt.VALUE), new Opt('Y', "update-delay", Opt.FLAG), new Opt('D', "delete", Opt.FLAG),
      new Opt('Q', "query", Opt.FLAG), new Opt('A', "all", Opt.FLAG), new Opt('N', "node", Opt.VALUE),
      new Opt('d', "delay", Opt.VALUE), new Opt('p', "private", Opt.FLAG), new Opt('s', "set", Opt.VALUE),
      new Opt('R', "refresh", Opt.FLAG), new Opt('z', "utilization", Opt.FLAG), new Opt('q', "quiet", Opt.FLAG));

  static final List<String> TOOLS = List.of("crm_attribute", "crm_master", "attrd_updater");

  /** The request of {@code tool}'s command line, or a usage error naming what is wrong. */
  static Request parse(String tool, List<String> args, Map<String, String> env) throws UsageError {
    return switch (tool) {
      case "crm_attribute" -> crmAttribute(read(tool, CRM_ATTRIBUTE, args), env);
      case "crm_master" -> crmMaster(read(tool, CRM_MASTER, args), env);
      case "attrd_updater" -> attrdUpdater(read(tool, ATTRD_UPDATER, args));
      default -> throw new UsageError("unknown tool '" + tool + "', expected one of " + TOOLS);
    };
  }

  private static Request crmAttribute(Map<String, String> o, Map<String, String> env) throws UsageError {
    if (o.containsKey("utilization")) throw new UsageError("crm_attribute: --utilization is not supported by Vigil");
    String type = o.getOrDefault("type", "status");
    Scope scope = switch (type) {
      case "status", "nodes", "forever", "reboot" -> Scope.NODE;
      case "crm_config" -> Scope.PROPERTY;
      default -> throw new UsageError("crm_attribute: --type '" + type + "' is not supported, expected status, nodes or crm_config");
    };
    lifetime("crm_attribute", o);
    String name = o.get("name");
    String promotion = o.containsKey("promotion") ? o.get("promotion") : o.get("master");
    if (o.containsKey("promotion") || o.containsKey("master")) {
      if (name != null) throw new UsageError("crm_attribute: --promotion and --name exclude each other");
      name = promotionName("crm_attribute", promotion == null || promotion.isEmpty() ? null : promotion, env);
    }
    if (name == null || name.isEmpty()) throw new UsageError("crm_attribute: which attribute? give --name NAME or --promotion");
    Action action = action("crm_attribute", o, "update", "delete", "query");
    if (scope == Scope.PROPERTY && action != Action.QUERY) {
      throw new UsageError("crm_attribute: cluster properties are the configuration's; change them with 'vigil cluster apply' "
          + "(only --query works with --type crm_config)");
    }
    return new Request("crm_attribute", action, scope, o.getOrDefault("node", ""), name, o.get("update") != null ? o.get("update")
        : o.get("value"), o.get("default"), o.containsKey("quiet"), false);
  }

  private static Request crmMaster(Map<String, String> o, Map<String, String> env) throws UsageError {
    lifetime("crm_master", o);
    String rsc = o.containsKey("resource-id") ? o.get("resource-id") : o.get("id");
    String name = promotionName("crm_master", rsc, env);
    return new Request("crm_master", action("crm_master", o, "update", "delete", "query"), Scope.NODE,
        o.getOrDefault("node", ""), name, o.get("update"), null, o.containsKey("quiet"), false);
  }

  private static Request attrdUpdater(Map<String, String> o) throws UsageError {
    if (o.containsKey("utilization")) throw new UsageError("attrd_updater: --utilization is not supported by Vigil");
    String name = o.get("name");
    if (name == null || name.isEmpty()) throw new UsageError("attrd_updater: which attribute? give --name NAME");
    if (o.containsKey("update-both")) o.put("update", o.get("update-both"));
    if (o.containsKey("refresh") && !o.containsKey("update") && !o.containsKey("delete") && !o.containsKey("query")) {
      return new Request("attrd_updater", Action.QUERY, Scope.NODE, o.getOrDefault("node", ""), name, null, null, true, false);
    }
    Action action = action("attrd_updater", o, "update", "delete", "query");
    return new Request("attrd_updater", action, Scope.NODE, o.getOrDefault("node", ""), name, o.get("update"), null,
        o.containsKey("quiet"), o.containsKey("all"));
  }

  private static void lifetime(String tool, Map<String, String> o) throws UsageError {
    String l = o.getOrDefault("lifetime", "reboot");
    if (!l.equals("reboot") && !l.equals("forever")) {
      throw new UsageError(tool + ": --lifetime '" + l + "' is not valid, expected reboot or forever");
    }
  }

  /** Exactly one of update, delete, query. */
  private static Action action(String tool, Map<String, String> o, String update, String delete, String query)
      throws UsageError {
    List<Action> given = new ArrayList<>();
    if (o.containsKey(update) || o.containsKey("value")) given.add(Action.SET);
    if (o.containsKey(delete)) given.add(Action.DELETE);
    if (o.containsKey(query)) given.add(Action.QUERY);
    if (given.size() > 1) throw new UsageError(tool + ": give one of --" + update + ", --" + delete + ", --" + query);
    if (given.isEmpty()) {
      if (tool.equals("attrd_updater")) throw new UsageError(tool + ": give one of --update, --delete, --query");
      return Action.QUERY; // crm_attribute and crm_master query when nothing else is asked
    }
    return given.getFirst();
  }

  /**
   * {@code master-<resource>}: the resource named, else {@code OCF_RESOURCE_INSTANCE}; a clone
   * instance's number is dropped (the score is the primitive's on that node), as Pacemaker does.
   */
  static String promotionName(String tool, String resource, Map<String, String> env) throws UsageError {
    String rsc = Optional.ofNullable(resource).filter(r -> !r.isEmpty()).orElse(env.get("OCF_RESOURCE_INSTANCE"));
    if (rsc == null || rsc.isEmpty()) {
      throw new UsageError(tool + ": no resource: name one, or run it from an agent (OCF_RESOURCE_INSTANCE is not set)");
    }
    int colon = rsc.lastIndexOf(':');
    if (colon > 0 && rsc.substring(colon + 1).chars().allMatch(Character::isDigit)) rsc = rsc.substring(0, colon);
    return io.vigil.status.NodeStatus.promotionScore(rsc);
  }

  /** Option words to {@code long name -> value} (flags map to ""; an optional value left out maps to null). */
  private static Map<String, String> read(String tool, List<Opt> opts, List<String> args) throws UsageError {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--") && a.length() > 2) {
        int eq = a.indexOf('=');
        String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
        Opt o = opts.stream().filter(x -> x.longName().equals(name)).findFirst()
            .orElseThrow(() -> new UsageError(tool + ": unknown option '--" + name + "'"));
        if (o.arity() == Opt.FLAG && eq >= 0) throw new UsageError(tool + ": option '--" + name + "' takes no value");
        i = take(tool, o, "--" + name, eq < 0 ? null : a.substring(eq + 1), args, i, out);
      } else if (a.startsWith("-") && a.length() > 1) {
        for (int c = 1; c < a.length(); c++) {
          char ch = a.charAt(c);
          Opt o = opts.stream().filter(x -> x.shortName() == ch).findFirst()
              .orElseThrow(() -> new UsageError(tool + ": unknown option '-" + ch + "'"));
          if (o.arity() == Opt.FLAG) {
            out.put(o.longName(), "");
            continue;
          }
          i = take(tool, o, "-" + ch, c + 1 < a.length() ? a.substring(c + 1) : null, args, i, out);
          break;
        }
      } else {
        throw new UsageError(tool + ": unexpected argument '" + a + "'");
      }
    }
    return out;
  }

  /**
   * Records option {@code o}: its attached value, else (if it takes one) the next word, else null
   * for an optional value; returns the index of the last word used.
   */
  private static int take(String tool, Opt o, String spelled, String attached, List<String> args, int i, Map<String, String> out)
      throws UsageError {
    if (o.arity() == Opt.FLAG) {
      out.put(o.longName(), "");
    } else if (attached != null) {
      out.put(o.longName(), attached);
    } else if (i + 1 < args.size() && (o.arity() == Opt.VALUE || !args.get(i + 1).startsWith("-"))) {
      out.put(o.longName(), args.get(++i));
    } else if (o.arity() == Opt.OPTIONAL) {
      out.put(o.longName(), null);
    } else {
      throw new UsageError(tool + ": option '" + spelled + "' needs a value");
    }
    return i;
  }
}
