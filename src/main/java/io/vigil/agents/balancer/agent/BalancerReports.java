package io.vigil.agents.balancer.agent;

import io.vigil.agents.balancer.ServerStatus;
import io.vigil.agents.balancer.StatusTable;
import io.vigil.agents.balancer.health.HealthState;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Text forms of balancer snapshots: the one-line summary {@code vigil status} prints, the table of
 * {@code vigil balancer status}, and the Prometheus text exposition (format 0.0.4) of {@code GET /metrics}.
 */
public final class BalancerReports {
  private BalancerReports() {}

  /** "balancer web (resource web-lb) on 127.0.0.1:8080: 2/2 real servers up, 3 active, ...". */
  public static String summary(BalancerSnapshot s) {
    BalancerSnapshot.Totals t = s.totals();
    return String.format(Locale.ROOT, "balancer %s (resource %s) on %s: %s%d/%d real servers up, %d active, %d inactive, "
            + "%d connections, %s in, %s out",
        s.service(), s.resource(), s.listen(), s.listening() ? "" : "NOT LISTENING, ", t.up(), t.realServers(), t.active(),
        t.inactive(), t.connections(), StatusTable.bytes(t.bytesIn()), StatusTable.bytes(t.bytesOut()));
  }

  /** One line for the log or the history: "web: real server 10.0.0.2:80 down (remove): 3 failed checks". */
  public static String describe(io.vigil.agents.balancer.BalancerEvent e) {
    String lower = switch (e) {
      case io.vigil.agents.balancer.BalancerEvent.RealServerDown d ->
          "real server " + d.server() + " down (" + d.action().name().toLowerCase(Locale.ROOT) + "): " + d.reason();
      case io.vigil.agents.balancer.BalancerEvent.RealServerUp u -> "real server " + u.server() + " up: " + u.reason();
      case io.vigil.agents.balancer.BalancerEvent.WeightChanged w ->
          "real server " + w.server() + " weight " + w.from() + " -> " + w.to() + ": " + w.reason();
      case io.vigil.agents.balancer.BalancerEvent.SorryServerActive a -> "no real server of pool " + a.pool() + " is available: "
          + (a.configured() ? "new clients go to the sorry server" : "new clients are refused (no sorry server)");
      case io.vigil.agents.balancer.BalancerEvent.SorryServerInactive i -> "pool " + i.pool() + " has a real server again";
    };
    return e.service() + ": " + lower;
  }

  /** Header line and per-server table of one service. */
  public static String table(BalancerSnapshot s) {
    return summary(s) + "\n" + StatusTable.format(s.servers());
  }

  /** Every metric of every snapshot, each family announced once with HELP and TYPE. */
  public static String prometheus(List<BalancerSnapshot> snapshots) {
    StringBuilder sb = new StringBuilder();
    service(sb, snapshots, "vigil_balancer_listening", "gauge", "1 if the virtual service's listener is open", s -> s.listening() ? 1 : 0);
    service(sb, snapshots, "vigil_balancer_connections_active", "gauge", "Connections open in both directions",
        s -> s.totals().active());
    service(sb, snapshots, "vigil_balancer_connections_inactive", "gauge", "Connections connecting or half-closed",
        s -> s.totals().inactive());
    service(sb, snapshots, "vigil_balancer_connections_total", "counter", "Connections accepted since start",
        s -> s.totals().connections());
    service(sb, snapshots, "vigil_balancer_bytes_in_total", "counter", "Bytes from clients to real servers",
        s -> s.totals().bytesIn());
    service(sb, snapshots, "vigil_balancer_bytes_out_total", "counter", "Bytes from real servers to clients",
        s -> s.totals().bytesOut());
    server(sb, snapshots, "vigil_balancer_server_up", "gauge", "1 if the real server passes its health checks",
        r -> r.health() == HealthState.UP ? 1 : 0);
    server(sb, snapshots, "vigil_balancer_server_weight", "gauge", "Current scheduling weight (0 = quiescent)", ServerStatus::weight);
    server(sb, snapshots, "vigil_balancer_server_connections_active", "gauge", "Connections open in both directions",
        ServerStatus::active);
    server(sb, snapshots, "vigil_balancer_server_connections_inactive", "gauge", "Connections connecting or half-closed",
        ServerStatus::inactive);
    server(sb, snapshots, "vigil_balancer_server_connections_total", "counter", "Connections scheduled to this server since start",
        ServerStatus::connections);
    server(sb, snapshots, "vigil_balancer_server_connect_failures_total", "counter", "Connects to this server that failed",
        ServerStatus::failedConnects);
    server(sb, snapshots, "vigil_balancer_server_bytes_in_total", "counter", "Bytes from clients to this server",
        ServerStatus::bytesIn);
    server(sb, snapshots, "vigil_balancer_server_bytes_out_total", "counter", "Bytes from this server to clients",
        ServerStatus::bytesOut);
    return sb.toString();
  }

  private static void service(StringBuilder sb, List<BalancerSnapshot> all, String name, String type, String help,
      ToLongFunction<BalancerSnapshot> value) {
    header(sb, name, type, help);
    for (BalancerSnapshot s : all) {
      sb.append(name).append(labels(s, null)).append(' ').append(value.applyAsLong(s)).append('\n');
    }
  }

  private static void server(StringBuilder sb, List<BalancerSnapshot> all, String name, String type, String help,
      ToLongFunction<ServerStatus> value) {
    header(sb, name, type, help);
    for (BalancerSnapshot s : all) {
      for (ServerStatus r : s.servers()) {
        sb.append(name).append(labels(s, r)).append(' ').append(value.applyAsLong(r)).append('\n');
      }
    }
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String labels(BalancerSnapshot s, ServerStatus r) {
    StringBuilder sb = new StringBuilder("{");
    label(sb, "resource", s.resource());
    label(sb, "service", s.service());
    if (r != null) {
      label(sb, "server", r.server());
      label(sb, "pool", r.pool());
    }
    return sb.append('}').toString();
  }

  private static void label(StringBuilder sb, String name, String value) {
    if (sb.length() > 1) sb.append(',');
    sb.append(name).append("=\"").append(escape(value)).append('"');
  }

  /** Label values escape backslash, double quote and line feed, as the exposition format requires. */
  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
