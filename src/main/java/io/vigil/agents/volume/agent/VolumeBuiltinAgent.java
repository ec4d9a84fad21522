package io.vigil.agents.volume.agent;

import io.vigil.agents.volume.control.ControlClient;
import io.vigil.exec.BuiltinAgent;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfEnvironment;
import io.vigil.exec.OcfMetadata;
import io.vigil.exec.OcfRc;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code builtin:volume}, a promotable resource (promoted = Primary). start runs the volume's serve
 * process as Secondary; promote makes it Primary (refused with OCF_ERR_GENERIC and the engine's reason
 * unless UpToDate and the peer is not Primary); demote flushes and makes it Secondary; stop demotes
 * and ends the process; monitor answers OCF_RUNNING_PROMOTED, OCF_SUCCESS or OCF_NOT_RUNNING.
 */
public final class VolumeBuiltinAgent implements BuiltinAgent {
  private static final Pattern ROLE = Pattern.compile("role (Primary|Secondary)");
  private static final Pattern GENERATIONS = Pattern.compile("generations ([0-9A-F:]+)");
  private static final long POLL_MILLIS = 100;
  private final Path stateDir;
  private final String nodeName;
  private final NodeAttributes attributes;

  /** An agent keeping pid files, control sockets and logs under {@code stateDir}. */
  public VolumeBuiltinAgent(Path stateDir) {
    this(stateDir, null);
  }

  /** As {@link #VolumeBuiltinAgent(Path)} on the cluster node {@code nodeName} (the default volume node name, and the key into {@code addresses}). */
  public VolumeBuiltinAgent(Path stateDir, String nodeName) {
    this(stateDir, nodeName, NodeAttributes.NONE);
  }

  /**
   * As {@link #VolumeBuiltinAgent(Path, String)}, setting this node's promotion score in {@code attributes}
   * ({@link PromotionScore}) after start, promote, demote and monitor, and deleting it on stop.
   */
  public VolumeBuiltinAgent(Path stateDir, String nodeName, NodeAttributes attributes) {
    this.stateDir = stateDir;
    this.nodeName = nodeName;
    this.attributes = attributes;
  }

  @Override
  public String type() {
    return "volume";
  }

  @Override
  public String metadataXml() {
    OcfMetadata md = OcfMetadata.of("volume", "Replicated volume (promoted = Primary)",
        "Runs one node of a Vigil replicated volume (DRBD-style, exported over NBD on the Primary). Promotion is refused unless "
            + "this copy is UpToDate; demotion flushes. Sets this node's promotion score (master-RESOURCE) while the copy is UpToDate; "
            + "in a cluster a Primary without its peer records the peer Outdated before acknowledging writes.");
    for (VolumeAgentParams.Key k : VolumeAgentParams.KEYS) md.param(k.name(), k.required(), "string", k.defaultValue(), k.doc());
    return md.action("start", "60s", null).action("stop", "60s", null).action("promote", "30s", null).action("demote", "30s", null)
        .action("monitor", "20s", "10s").action("notify", "20s", null).action("validate-all", "20s", null).action("meta-data", "5s", null)
        .toXml();
  }

  @Override
  public int run(Invocation inv, PrintWriter out) throws Exception {
    VolumeAgentParams p;
    try {
      p = VolumeAgentParams.parse(inv.params(), stateDir, nodeName);
    } catch (VolumeAgentParams.NotAVolumeNode e) {
      // A cluster node outside the volume's addresses never runs it: probes find it stopped, stops
      // succeed, anything else is "cannot run here" (OCF_ERR_INSTALLED bans this node, not the resource).
      return switch (inv.action()) {
        case "monitor", "status" -> OcfRc.NOT_RUNNING;
        case "stop", "demote", "notify" -> OcfRc.SUCCESS;
        default -> {
          out.println(OcfEnvironment.EXIT_REASON_PREFIX + e.getMessage());
          yield OcfRc.ERR_INSTALLED;
        }
      };
    } catch (IllegalArgumentException e) {
      out.println(OcfEnvironment.EXIT_REASON_PREFIX + e.getMessage());
      return OcfRc.ERR_CONFIGURED;
    }
    VolumeProcess proc = new VolumeProcess(p);
    long deadline = System.nanoTime() + inv.timeout().toNanos() * 9 / 10;
    int rc = switch (inv.action()) {
      case "validate-all" -> {
        String missing = p.missingFile();
        if (missing != null) out.println(OcfEnvironment.EXIT_REASON_PREFIX + "volume '" + p.name() + "': " + missing);
        yield missing == null ? OcfRc.SUCCESS : OcfRc.ERR_CONFIGURED;
      }
      case "start" -> start(p, proc, fenceArgs(inv, p), deadline, out);
      case "stop" -> stop(p, proc, deadline, out);
      case "monitor", "status" -> monitor(p, proc, out);
      case "promote" -> {
        String outdated = outdatedBy(inv, p, proc);
        if (outdated != null) {
          out.println(OcfEnvironment.EXIT_REASON_PREFIX + outdated);
          yield OcfRc.ERR_GENERIC;
        }
        yield roleChange(p, proc, "primary", out);
      }
      case "demote" -> roleChange(p, proc, "secondary", out);
      case "notify", "reload" -> OcfRc.SUCCESS;
      default -> {
        out.println("builtin:volume does not implement action '" + inv.action() + "'");
        yield OcfRc.ERR_UNIMPLEMENTED;
      }
    };
    switch (inv.action()) {
      case "start", "promote", "demote", "monitor", "status" -> updateScore(inv, p, proc, out);
      case "stop" -> setScore(inv, null, out);
      default -> { }
    }
    return rc;
  }

  /**
   * This node's promotion score from what the serve process says now (none when it does not answer):
   * monitors track the copy's changes (resync done, peer lost), as drbd's agent does with crm_master.
   */
  private void updateScore(Invocation inv, VolumeAgentParams p, VolumeProcess proc, PrintWriter out) {
    if (outdatedBy(inv, p, proc) != null) {
      setScore(inv, null, out);
      return;
    }
    java.util.OptionalInt score = proc.request("status").filter(ControlClient.Reply::ok).map(r -> PromotionScore.of(r.text()))
        .orElse(java.util.OptionalInt.empty());
    setScore(inv, score.isPresent() ? Integer.toString(score.getAsInt()) : null, out);
  }

  /**
   * Why this copy must not be promoted although its process may say UpToDate: the peer, as Primary,
   * recorded in the cluster that it wrote a generation this copy does not hold ({@link
   * io.vigil.agents.volume.PeerFencer}); the serve process is told (it then shows and persists
   * Outdated). Null when there is no such record or this copy holds (or held) that generation. A
   * Primary removes a record about itself: it is the newest copy, and only a Primary writes records.
   */
  private String outdatedBy(Invocation inv, VolumeAgentParams p, VolumeProcess proc) {
    if (nodeName == null) return null;
    String attr = io.vigil.agents.volume.PeerFencer.markAttribute(primitive(inv));
    String mark = attributes.get(nodeName, attr);
    if (mark == null) return null;
    String status = proc.request("status").filter(ControlClient.Reply::ok).map(ControlClient.Reply::text).orElse("");
    Matcher m = GENERATIONS.matcher(status);
    String gen = io.vigil.agents.volume.PeerFencer.markGeneration(mark);
    if (m.find() && !gen.isEmpty() && java.util.Arrays.asList(m.group(1).split(":")).contains(gen)) {
      // This copy holds the generation (resynced): the record is satisfied, and as the scheduler's
      // promotion veto it must go, or the copy could never be promoted.
      try {
        attributes.set(nodeName, attr, null);
      } catch (IOException e) {
        // the next monitor tries again
      }
      return null;
    }
    Matcher role = ROLE.matcher(status);
    if (role.find() && role.group(1).equals("Primary")) {
      try {
        attributes.set(nodeName, attr, null);
      } catch (IOException e) {
        // the next monitor tries again
      }
      return null;
    }
    String[] words = mark.strip().split("\\s+");
    String by = words.length >= 3 ? words[2] : "the peer";
    if (!status.isEmpty() && !gen.isEmpty()) proc.request("outdate " + gen + " " + by);
    return "volume '" + p.name() + "' on node '" + nodeName + "' is Outdated: node '" + by + "' wrote generation " + gen
        + " as Primary without this copy (cluster attribute " + attr + "); it can be promoted once a resync from '" + by
        + "' has brought it that generation, or, if '" + by + "''s copy is lost for good, after 'vigil volume primary " + p.name()
        + " --force --control " + p.control() + "' on this node (writes only '" + by + "' held are then lost; the cluster then promotes this copy)";
  }

  /** Sets (or with null deletes) the score, only when it differs from the replicated one; a failure is reported, never fatal. */
  private void setScore(Invocation inv, String value, PrintWriter out) {
    if (nodeName == null) return;
    String name = PromotionScore.attribute(inv.resourceId());
    if (java.util.Objects.equals(attributes.get(nodeName, name), value)) return;
    try {
      attributes.set(nodeName, name, value);
    } catch (IOException | RuntimeException e) {
      out.println("promotion score " + name + " of " + nodeName + " not " + (value == null ? "deleted" : "set to " + value) + ": "
          + e.getMessage());
    }
  }

  /**
   * Inside a cluster, with both nodes named by {@code addresses}: the serve process fences its peer
   * through this daemon's control socket while Primary without it (io.vigil.agents.volume.PeerFencing).
   */
  private List<String> fenceArgs(Invocation inv, VolumeAgentParams p) {
    java.nio.file.Path socket = attributes.controlSocket();
    if (socket == null || nodeName == null || p.peerNode() == null) return List.of();
    return List.of("--fence-socket", socket.toString(), "--fence-resource", primitive(inv), "--peer-node", p.peerNode());
  }

  private static String primitive(Invocation inv) {
    return PromotionScore.attribute(inv.resourceId()).substring(io.vigil.agents.volume.PeerFencer.promotionScore("").length());
  }

  private int start(VolumeAgentParams p, VolumeProcess proc, List<String> fenceArgs, long deadline, PrintWriter out) throws Exception {
    // A process of ours that is still starting up is waited for, never doubled.
    Optional<ProcessHandle> existing = proc.running();
    ProcessHandle h;
    if (existing.isPresent()) {
      h = existing.get();
    } else {
      String missing = p.missingFile();
      if (missing != null) {
        out.println(OcfEnvironment.EXIT_REASON_PREFIX + "volume '" + p.name() + "': " + missing);
        return OcfRc.ERR_CONFIGURED;
      }
      h = proc.start(fenceArgs).toHandle();
    }
    while (System.nanoTime() < deadline) {
      if (proc.request("status").map(ControlClient.Reply::ok).orElse(false)) return OcfRc.SUCCESS;
      if (!h.isAlive()) {
        out.println(OcfEnvironment.EXIT_REASON_PREFIX + "volume '" + p.name() + "': serve process " + h.pid() + " exited: "
            + proc.logTail());
        return OcfRc.ERR_GENERIC;
      }
      Thread.sleep(POLL_MILLIS); // the executor interrupts this thread at the action's timeout
    }
    out.println(OcfEnvironment.EXIT_REASON_PREFIX + "volume '" + p.name() + "': control socket " + p.control()
        + " did not answer before the start timeout; see " + p.logFile());
    return OcfRc.ERR_GENERIC;
  }

  private int stop(VolumeAgentParams p, VolumeProcess proc, long deadline, PrintWriter out) throws Exception {
    Optional<ProcessHandle> h = proc.running();
    if (h.isEmpty()) {
      if (proc.request("status").isPresent()) {
        out.println(OcfEnvironment.EXIT_REASON_PREFIX + "volume '" + p.name() + "' is served by a process this agent did not start"
            + " (control socket " + p.control() + "); stop it first");
        return OcfRc.ERR_GENERIC;
      }
      return OcfRc.SUCCESS;
    }
    // Demote first so the flush happens while the peer is still connected; a failed demote still stops (close flushes too).
    proc.request("secondary").filter(r -> !r.ok()).ifPresent(r -> out.println("demote before stop failed: " + r.text()));
    proc.stop(h.get(), Math.max(1000, (deadline - System.nanoTime()) / 1_000_000 - 5000));
    return OcfRc.SUCCESS;
  }

  private int monitor(VolumeAgentParams p, VolumeProcess proc, PrintWriter out) {
    Optional<ControlClient.Reply> r = proc.request("status");
    if (r.isEmpty() || !r.get().ok()) {
      if (proc.running().isPresent()) {
        out.println(OcfEnvironment.EXIT_REASON_PREFIX + "volume '" + p.name() + "': process is alive but its control socket "
            + p.control() + " does not answer");
        return OcfRc.ERR_GENERIC;
      }
      return OcfRc.NOT_RUNNING;
    }
    out.println(r.get().text());
    Matcher m = ROLE.matcher(r.get().text());
    if (!m.find()) {
      out.println(OcfEnvironment.EXIT_REASON_PREFIX + "volume '" + p.name() + "': status without a role: " + r.get().text());
      return OcfRc.ERR_GENERIC;
    }
    return m.group(1).equals("Primary") ? OcfRc.RUNNING_PROMOTED : OcfRc.SUCCESS;
  }

  private int roleChange(VolumeAgentParams p, VolumeProcess proc, String request, PrintWriter out) {
    Optional<ControlClient.Reply> r = proc.request(request);
    if (r.isEmpty()) {
      out.println(OcfEnvironment.EXIT_REASON_PREFIX + "volume '" + p.name() + "' is not running on this node (no answer at "
          + p.control() + ")");
      return OcfRc.NOT_RUNNING;
    }
    if (!r.get().ok()) {
      out.println(OcfEnvironment.EXIT_REASON_PREFIX + r.get().text());
      return OcfRc.ERR_GENERIC;
    }
    return OcfRc.SUCCESS;
  }
}
