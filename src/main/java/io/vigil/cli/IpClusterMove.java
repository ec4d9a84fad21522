package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.agents.ip.Addresses;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.ResourceClass;
import io.vigil.model.Suggest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code vigil ip move ADDRESS NODE}: finds the resource whose floating address is ADDRESS in the
 * running cluster's configuration and moves it (its group, if it is in one) to NODE exactly as
 * {@code vigil resource move} does, then waits until the replicated status has it running on NODE.
 * Every refusal (unknown address or node, node not online, no quorum) is decided before anything is sent.
 */
final class IpClusterMove {
  private IpClusterMove() {}

  /** A refusal: printed as "vigil ip move: MESSAGE", exit code 1, nothing was changed. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The primitive holding an address and what to move: its group when it is in one (the group's
   * members run together), else the primitive itself.
   */
  record Found(String primitive, String movable) {}

  /** The address a primitive holds, if it is a floating address: builtin:ip's {@code address}, IPaddr2's {@code ip}. */
  static Optional<InetAddress> addressOf(Primitive p) {
    String text = null;
    if (p.agent().resourceClass() == ResourceClass.BUILTIN && p.agent().type().equals("ip")) text = p.params().get("address");
    if (p.agent().resourceClass() == ResourceClass.OCF && p.agent().type().equals("IPaddr2")) text = p.params().get("ip");
    if (text == null) return Optional.empty();
    try {
      return Optional.of(Addresses.parse(text).address());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the agent's own validation reports it; here it just matches nothing
    }
  }

  /** The resource to move for {@code address} (with or without /prefix) in {@code c}. */
  static Found find(ClusterConfig c, String address, long epoch) throws Refused {
    InetAddress wanted;
    try {
      wanted = Addresses.parse(address).address();
    } catch (IllegalArgumentException e) {
      throw new Refused(e.getMessage());
    }
    Map<String, Resource> parents = c.parents();
    List<Found> hits = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (Resource r : c.allResources()) {
      if (!(r instanceof Primitive p)) continue;
      Optional<InetAddress> a = addressOf(p);
      if (a.isEmpty()) continue;
      known.add(Addresses.text(a.get()) + " (" + p.id() + ")");
      if (!a.get().equals(wanted)) continue;
      Resource top = p;
      for (Resource up = parents.get(p.id()); up != null; up = parents.get(up.id())) top = up;
      if (top instanceof io.vigil.model.Clone clone) {
        throw new Refused(Addresses.text(wanted) + " is resource " + p.id() + " in clone " + clone.id()
            + ", which runs on several nodes; a cloned address cannot be moved to one node");
      }
      hits.add(new Found(p.id(), top.id()));
    }
    if (hits.isEmpty()) {
      throw new Refused("no builtin:ip (or IPaddr2) resource in the cluster's configuration (epoch " + epoch + ") has address "
          + Addresses.text(wanted) + (known.isEmpty() ? "; it configures no floating address" : "; configured: " + String.join(", ", known)));
    }
    if (hits.size() > 1) {
      throw new Refused("address " + Addresses.text(wanted) + " is configured in " + hits.size() + " resources "
          + hits.stream().map(Found::primitive).toList() + "; move one of them with vigil resource move");
    }
    return hits.getFirst();
  }

  /** Where {@code primitive} runs per a {@code status} answer: node to role. */
  static Map<String, String> runningOn(JsonNode status, String primitive) {
    Map<String, String> on = new TreeMap<>();
    for (JsonNode r : status.path("resources")) {
      if (r.path("instance").asText().equals(primitive)) r.path("runningOn").fields().forEachRemaining(e -> on.put(e.getKey(), e.getValue().asText()));
    }
    return on;
  }

  /** Refuses a node that is not a member of the configuration and the membership, or not online. */
  static void checkNode(ClusterConfig c, JsonNode status, String node) throws Refused {
    List<String> names = c.nodes().stream().map(io.vigil.model.Node::name).toList();
    JsonNode member = null;
    for (JsonNode m : status.path("members")) if (m.path("name").asText().equals(node)) member = m;
    if (c.node(node).isEmpty() || member == null) {
      throw new Refused("unknown node '" + node + "'" + Suggest.hint(node, names) + "; nodes: " + names);
    }
    String state = member.path("state").asText();
    if (!state.equals("ONLINE")) {
      throw new Refused("node " + node + " is " + state.toLowerCase(java.util.Locale.ROOT)
          + ", expected online (an address can only move to an online node)");
    }
  }

  /** Options of the cluster form. */
  record Options(String address, String node, Optional<Duration> lifetime, boolean waitForIt, Duration timeout) {}

  /** Runs the cluster form against the local daemon; returns the exit code. */
  static int run(ClusterCli.StateDirOption dir, Options o, PrintWriter out, PrintWriter err) throws Exception {
    try {
      return move(dir, o, out);
    } catch (Refused e) {
      err.println("vigil ip move: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("vigil ip move: cannot reach the local vigild: " + e.getMessage() + "; nothing was changed");
      return 1;
    }
  }

  private static int move(ClusterCli.StateDirOption dir, Options o, PrintWriter out) throws Exception {
    JsonNode cfg = ok(ClusterCli.call(dir, ClusterCli.request("config")));
    long epoch = cfg.path("epoch").asLong();
    if (epoch == 0) throw new Refused("no configuration has been applied to the cluster yet");
    ClusterConfig c = new ConfigLoader(AgentCatalog.NONE).check(cfg.path("yaml").asText(), "epoch-" + epoch).config()
        .orElseThrow(() -> new Refused("the cluster's configuration (epoch " + epoch + ") does not load here"));
    Found f = find(c, o.address(), epoch);
    JsonNode status = ok(ClusterCli.call(dir, ClusterCli.request("status")));
    checkNode(c, status, o.node());
    String what = Addresses.text(Addresses.parse(o.address()).address()) + " (resource " + f.primitive()
        + (f.movable().equals(f.primitive()) ? "" : " in group " + f.movable()) + ")";
    Map<String, String> on = runningOn(status, f.primitive());
    if (status.path("members").size() == 1) {
      if (on.containsKey(o.node())) {
        out.println("one-node cluster: " + what + " is active on " + o.node() + ", the only node; nothing to move, nothing was changed");
        return 0;
      }
      throw new Refused("one-node cluster: " + what + " is not running on " + o.node() + ", the only node (vigil status says why); "
          + "nothing was changed");
    }
    if (on.keySet().equals(java.util.Set.of(o.node()))) {
      out.println(what + " is already active on " + o.node() + "; nothing was changed");
      return 0;
    }
    if (!status.path("quorum").path("hasQuorum").asBoolean()) {
      throw new Refused("node " + status.path("node").asText() + " has no quorum; nothing was changed");
    }
    var req = ClusterCli.request("resource-move");
    req.put("resource", f.movable());
    req.put("node", o.node());
    req.put("expectedEpoch", epoch);
    o.lifetime().ifPresent(l -> req.put("lifetimeSeconds", l.toSeconds()));
    JsonNode r = ClusterCli.call(dir, req);
    if (!r.path("ok").asBoolean()) throw new Refused(r.path("error").asText());
    out.println(r.path("message").asText());
    out.println("note: " + f.movable() + " now prefers " + o.node() + (o.lifetime().isPresent() ? " for " + o.lifetime().get()
        : " until 'vigil resource clear " + f.movable() + "'") + " (vigil status lists it under warnings)");
    if (!o.waitForIt()) {
      out.println("not waiting (--no-wait): vigil status shows where " + what + " runs");
      return 0;
    }
    out.flush();
    long deadline = System.nanoTime() + o.timeout().toNanos();
    long configured = r.path("epoch").asLong();
    while (true) {
      JsonNode s = ClusterCli.call(dir, ClusterCli.request("status"));
      on = runningOn(s, f.primitive());
      if (s.path("epoch").asLong() >= configured && on.keySet().equals(java.util.Set.of(o.node()))) {
        out.println(what + " is active on " + o.node());
        return 0;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new Refused(what + " is not active on " + o.node() + " after " + o.timeout().toSeconds() + "s (it runs on "
            + (on.isEmpty() ? "no node" : on.keySet()) + "); the move stays in force, vigil status shows why");
      }
      Thread.sleep(200); // polling the local daemon's replica; the bound is the deadline above
    }
  }

  private static JsonNode ok(JsonNode r) throws Refused {
    if (!r.path("ok").asBoolean()) throw new Refused(r.path("error").asText() + "; nothing was changed");
    return r;
  }
}
