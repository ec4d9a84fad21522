package io.vigil.agents.volume;

import java.util.Locale;

/** Parses and prints byte sizes the way operators write them (512, 64K, 1M, 20G; powers of 1024). */
public final class Sizes {
  private Sizes() {}

  public static long parse(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
    if (t.isEmpty()) throw new IllegalArgumentException("size '" + s + "' is empty");
    long mult = switch (t.charAt(t.length() - 1)) {
      case 'K' -> 1L << 10;
      case 'M' -> 1L << 20;
      case 'G' -> 1L << 30;
      case 'T' -> 1L << 40;
      default -> 1;
    };
    String digits = mult == 1 ? t : t.substring(0, t.length() - 1);
    try {
      long v = Long.parseLong(digits);
      if (v < 0 || v > Long.MAX_VALUE / mult) throw new NumberFormatException();
      return v * mult;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size '" + s + "' is not a number of bytes with an optional K/M/G/T suffix");
    }
  }

  public static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
