package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil status [--json]}: membership, leader, quorum, epoch, fencing pauses (as a banner), warnings and resources. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the cluster: members, leader, quorum, epoch.")
public final class ClusterStatusCommand implements Callable<Integer> {
  @Mixin ClusterCli.StateDirOption dir;

  @Option(names = "--json", description = "Print the status as one JSON object.") boolean json;

  @Override
  public Integer call() throws Exception {
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
