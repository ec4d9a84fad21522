package io.vigil.agents.ip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPv6 neighbour solicitation with {@code ndisc6} (Debian package ndisc6), used for the planned
 * move pre-check: who answers for the address right now. Pure argv building and parsing.
 */
public final class Ndisc6 {
  private static final Pattern MAC = Pattern.compile("(?m)^\\s*([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})\\s*$");

  private Ndisc6() {}

  /** {@code ndisc6 -q -m -n -r 2 -w MS ADDR IF}: two solicitations, every answer printed as a MAC. */
  public static List<String> argv(String ndisc6, String device, String address, Duration timeout) {
    long perTry = Math.max(1, timeout.toMillis() / 2);
    return List.of(ndisc6, "-q", "-m", "-n", "-r", "2", "-w", Long.toString(perTry), address, device);
  }

  /** MACs that answered (lower case, distinct); exit 2 = nobody; anything else is an error. */
  public static List<String> answers(ProcessRunner.Output out) {
    if (out.exitCode() == 2) {
      return List.of();
    }
    if (out.exitCode() != 0) {
      throw new IllegalStateException("ndisc6 failed (exit " + out.exitCode() + "): " + out.diagnostic());
    }
    List<String> macs = new ArrayList<>();
    Matcher m = MAC.matcher(out.stdout());
    while (m.find()) {
      String mac = m.group(1).toLowerCase(Locale.ROOT);
      if (!macs.contains(mac)) {
        macs.add(mac);
      }
    }
    if (macs.isEmpty()) {
      throw new IllegalStateException("ndisc6 reported an answer but printed no link-layer address: " + out.diagnostic());
    }
    return macs;
  }
}
