package io.vigil.agents.providerip;

import java.util.ArrayList;
import java.util.List;

/** A set of HTTP status codes written as "200-299,304". Pure. */
public record StatusSet(List<int[]> ranges, String text) {

  public static StatusSet parse(String text) {
    List<int[]> ranges = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      String[] lohi = p.split("-", 2);
      try {
        int lo = Integer.parseInt(lohi[0].trim());
        int hi = lohi.length == 2 ? Integer.parseInt(lohi[1].trim()) : lo;
        if (lo < 100 || hi > 599 || lo > hi) {
          throw new NumberFormatException();
        }
        ranges.add(new int[] {lo, hi});
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + p + "' is not a status code or range 100..599 (e.g. 200-299,304)");
      }
    }
    return new StatusSet(List.copyOf(ranges), text.trim());
  }

  public boolean contains(int status) {
    return ranges.stream().anyMatch(r -> status >= r[0] && status <= r[1]);
  }
}
