package io.vigil.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One client attempt of the prober: started at {@code startNanos}, ended at {@code endNanos}
 * (both CLOCK_MONOTONIC, comparable across processes and namespaces of one machine), with its
 * result and, on success, the node that answered.
 */
public record Probe(long startNanos, long endNanos, Result result, String node) {
  public enum Result { OK, TIMEOUT, REFUSED, ERROR }

  public boolean ok() {
    return result == Result.OK;
  }

  /** The log line: {@code start end result node}. */
  public String line() {
    return startNanos + " " + endNanos + " " + result.name().toLowerCase(java.util.Locale.ROOT) + " " + (node.isEmpty() ? "-" : node);
  }

  /** Parses one log line; empty for comments, blank or malformed lines (a line cut by a kill). */
  public static Optional<Probe> parse(String line) {
    String[] f = line.strip().split(" ");
    if (f.length != 4 || line.startsWith("#")) return Optional.empty();
    try {
      Result r = Result.valueOf(f[2].toUpperCase(java.util.Locale.ROOT));
      return Optional.of(new Probe(Long.parseLong(f[0]), Long.parseLong(f[1]), r, f[3].equals("-") ? "" : f[3]));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Every well-formed line of a log. */
  public static List<Probe> parseAll(List<String> lines) {
    List<Probe> out = new ArrayList<>();
    for (String l : lines) parse(l).ifPresent(out::add);
    return out;
  }
}
