package io.vigil.agents.balancer;

import java.util.List;
import java.util.Locale;

/** Formats live counters as a fixed-width table for the terminal. */
public final class StatusTable {
  private StatusTable() {}

  public static String format(List<ServerStatus> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-28s %-8s %-5s %6s %6s %8s %10s %12s %12s%n",
        "REAL SERVER", "POOL", "STATE", "WEIGHT", "ACTIVE", "INACTIVE", "CONNS", "BYTES IN", "BYTES OUT"));
    for (ServerStatus s : rows) {
      sb.append(String.format(Locale.ROOT, "%-28s %-8s %-5s %6d %6d %8d %10d %12s %12s%n",
          s.server(), s.pool(), s.health() + (s.overloaded() ? "!" : ""), s.weight(), s.active(), s.inactive(),
          s.connections(), bytes(s.bytesIn()), bytes(s.bytesOut())));
    }
    return sb.toString();
  }

  /** 512 B, 1.5 KiB, 3.2 MiB, 1.25 GiB. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    if (n < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
    }
    return String.format(Locale.ROOT, "%.2f GiB", n / 1073741824.0);
  }
}
