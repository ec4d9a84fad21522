package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil status [--json]}: membership, leader, quorum, epoch, fencing pauses (as a banner), warnings, fence devices and resources. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the cluster: members, leader, quorum, epoch.")
public final class ClusterStatusCommand implements Callable<Integer> {
  @Mixin ClusterCli.StateDirOption dir;

  @Option(names = "--json", description = "Print the status as one JSON object.") boolean json;

  @Option(names = "--watch", description = "Refresh the status until interrupted (Ctrl-C), like crm_mon.") boolean watch;

  @Option(names = "--interval", defaultValue = "1s", description = "Refresh interval with --watch (default ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--count", defaultValue = "0", description = "With --watch: stop after this many refreshes (0: never).")
  int count;

  @Override
  public Integer call() throws Exception {
    if (!watch) return once();
    java.time.Duration every = io.vigil.model.Durations.parse(interval);
    if (every.toMillis() < 100 || every.toHours() > 1) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--interval " + interval + ": expected 100ms .. 1h");
    }
    for (int i = 0; count <= 0 || i < count; i++) {
      if (i > 0) Thread.sleep(every.toMillis());
      System.out.print("\033[H\033[2J"); // home + clear: one screen per refresh
      System.out.println(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          + "   (every " + interval + "; Ctrl-C to stop)");
      try {
        once();
      } catch (java.io.IOException e) {
        // the daemon restarting or not up yet: say so and keep watching
        System.out.println("vigil status: " + e.getMessage());
      }
      System.out.flush();
    }
    return 0;
  }

  private int once() throws Exception {
    JsonNode r = ClusterCli.call(dir, ClusterCli.request("status"));
    if (json) {
      System.out.println(ClusterCli.JSON.writeValueAsString(r));
      return r.path("ok").asBoolean() ? 0 : 1;
    }
    if (!r.path("ok").asBoolean()) {
      System.err.println("vigil status: " + r.path("error").asText());
      return 1;
    }
    JsonNode q = r.path("quorum");
    System.out.printf("cluster %s   epoch %d   leader %s   term %d%n", r.path("cluster").asText(), r.path("epoch").asLong(),
        r.path("leader").asText("(none)").isEmpty() ? "(none)" : r.path("leader").asText(), r.path("term").asLong());
    System.out.printf("quorum: %s (%d voters, %d needed)   this node: %s (%s)%n",
        q.path("hasQuorum").asBoolean() ? "yes" : "NO", q.path("voters").asInt(), q.path("needed").asInt(),
        r.path("node").asText(), r.path("role").asText().toLowerCase(java.util.Locale.ROOT));
    if (r.has("watchdog")) System.out.println("watchdog (this node): " + r.path("watchdog").asText());
    for (JsonNode p : r.path("fencingPauses")) {
      String who = p.path("node").asText("*").equals("*") ? "every node" : p.path("node").asText();
      System.out.printf("*** FENCING PAUSED for %s: %s left (until %s) - %s (by %s; end early: vigil fencing resume %s) ***%n",
          who, left(p.path("leftMillis").asLong()), java.time.Instant.ofEpochMilli(p.path("untilMillis").asLong()),
          p.path("reason").asText(), p.path("author").asText(), p.path("id").asText());
    }
    System.out.println("members:");
    for (JsonNode m : r.path("members")) {
      System.out.printf("  %-16s %-22s %-8s %-8s%s%n", m.path("name").asText(), m.path("address").asText(),
          m.path("role").asText().toLowerCase(java.util.Locale.ROOT), m.path("state").asText().toLowerCase(java.util.Locale.ROOT),
          m.path("leader").asBoolean() ? "  leader" : m.has("silenceMillis") ? "  last heard " + m.path("silenceMillis").asLong() + " ms ago" : "");
    }
    for (JsonNode w : r.path("warnings")) System.out.println("warning: " + w.asText());
    if (!r.path("fenceDevices").isEmpty()) {
      System.out.println("fence devices:");
      for (JsonNode d : r.path("fenceDevices")) {
        System.out.printf("  %-16s %s%n", d.path("device").asText(), d.path("state").asText()
            + (d.has("sinceMillis") ? " since " + java.time.Instant.ofEpochMilli(d.path("sinceMillis").asLong()) : "")
            + (d.path("state").asText().equals("FAILING") ? ": " + d.path("message").asText() : ""));
      }
    }
    if (r.has("resources")) {
      System.out.printf("resources: (%d action(s) running, %d pending)%n", r.path("runningActions").asInt(),
          r.path("pendingActions").asInt());
      for (JsonNode x : r.path("resources")) {
        StringBuilder where = new StringBuilder();
        x.path("runningOn").fields().forEachRemaining(e -> where.append(where.isEmpty() ? "" : ", ")
            .append(e.getKey()).append(" (").append(e.getValue().asText()).append(")"));
        String state = where.isEmpty() ? "Stopped" : "on " + where;
        String next = x.path("target").asText().isEmpty() ? "" : " -> " + x.path("target").asText();
        StringBuilder fails = new StringBuilder();
        x.path("failCounts").fields().forEachRemaining(e -> fails.append(" fails ").append(e.getKey()).append("=")
            .append(e.getValue().asInt()));
        System.out.printf("  %-20s %-28s %s%s%s%s%s%n", x.path("instance").asText(), x.path("agent").asText(), state,
            where.toString().contains(x.path("target").asText()) && !next.isEmpty() ? "" : next,
            x.path("failed").asBoolean() ? "  FAILED" : "", x.path("managed").asBoolean() ? "" : "  unmanaged", fails);
      }
    }
    if (!r.path("local").isEmpty()) {
      System.out.println("on this node (" + r.path("node").asText() + "):");
      for (JsonNode l : r.path("local")) System.out.println("  " + l.asText());
    }
    return 0;
  }

  /** 1h02m, 29m59s, 12s: the time left of a pause at a glance. */
  static String left(long millis) {
    long s = Math.max(0, (millis + 999) / 1000);
    if (s >= 3600) return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    if (s >= 60) return String.format("%dm%02ds", s / 60, s % 60);
    return s + "s";
  }
}
