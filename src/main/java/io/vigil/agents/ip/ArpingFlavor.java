package io.vigil.agents.ip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two arping programs Debian ships, which share a name but not their options: Thomas Habets'
 * {@code arping} package and {@code iputils-arping}. Builds argv and reads results for each.
 */
public enum ArpingFlavor {
  /** Debian package {@code arping} (Habets): -i IF, -S SRC, -W interval, -0 probe. */
  HABETS,
  /** Debian package {@code iputils-arping}: -I IF, -s SRC, -i interval, -D duplicate detection. */
  IPUTILS;

  private static final Pattern TRANSMITTED = Pattern.compile("(\\d+) packets transmitted");
  private static final Pattern RECEIVED = Pattern.compile("(\\d+) packets received");
  private static final Pattern HABETS_FROM = Pattern.compile("bytes from ([0-9a-fA-F:]{17})");
  private static final Pattern IPUTILS_SENT = Pattern.compile("Sent (\\d+) probe");
  private static final Pattern IPUTILS_REPLY = Pattern.compile("reply from \\S+ \\[([0-9a-fA-F:]{17})\\]");

  /** Result of an ARP probe: whether someone answered, and the MACs the output names (distinct). */
  public record ProbeResult(boolean answered, List<String> macs) {
    public ProbeResult {
      macs = List.copyOf(macs);
    }
  }

  /** Recognises the flavor from {@code arping --help} / {@code -V} output. */
  public static ArpingFlavor fromHelp(String helpText) {
    String t = helpText.toLowerCase(Locale.ROOT);
    if (t.contains("habets")) {
      return HABETS;
    }
    if (t.contains("iputils")) {
      return IPUTILS;
    }
    throw new IllegalArgumentException(
        "arping: unknown variant (neither Habets' arping nor iputils-arping): "
            + helpText.strip().lines().findFirst().orElse("(no output)"));
  }

  /** Unsolicited ARP announcing {@code address} from {@code device}; the first at once. */
  public List<String> announceArgv(String arping, String device, String address, int count, Duration interval) {
    String secs = seconds(interval);
    return switch (this) {
      case HABETS -> List.of(arping, "-U", "-i", device, "-S", address, "-c", Integer.toString(count),
          "-W", secs, address);
      case IPUTILS -> List.of(arping, "-U", "-I", device, "-s", address, "-c", Integer.toString(count),
          "-i", secs, address);
    };
  }

  /** ARP probe (sender 0.0.0.0, RFC 5227) asking who has {@code address}, within {@code timeout}. */
  public List<String> probeArgv(String arping, String device, String address, Duration timeout) {
    List<String> argv = new ArrayList<>();
    argv.add(arping);
    switch (this) {
      case HABETS -> argv.addAll(List.of("-0", "-i", device, "-c", "2",
          "-W", seconds(timeout.dividedBy(2)), "-w", seconds(timeout)));
      case IPUTILS -> argv.addAll(List.of("-D", "-I", device, "-c", "2",
          "-w", Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000))));
    }
    argv.add(address);
    return List.copyOf(argv);
  }

  /** Reads an announcement run; throws with the tool's own words when nothing was sent. */
  public void checkAnnounce(ProcessRunner.Output out) {
    Matcher m = (this == HABETS ? TRANSMITTED : IPUTILS_SENT).matcher(out.stdout());
    boolean sent = m.find() && Integer.parseInt(m.group(1)) > 0;
    // Habets exits 1 when no reply came, which is normal for unsolicited ARP.
    boolean exitOk = this == HABETS ? out.exitCode() <= 1 : out.exitCode() == 0;
    if (!sent || !exitOk) {
      throw new IllegalStateException("arping sent no announcement (exit " + out.exitCode() + "): "
          + out.diagnostic());
    }
  }

  /** Reads a probe run: answered or not; anything unreadable is an error, never "free". */
  public ProbeResult readProbe(ProcessRunner.Output out) {
    String text = out.stdout();
    if (this == HABETS) {
      Matcher r = RECEIVED.matcher(text);
      if (!TRANSMITTED.matcher(text).find() || !r.find() || out.exitCode() > 1) {
        throw new IllegalStateException("arping probe failed (exit " + out.exitCode() + "): " + out.diagnostic());
      }
      boolean answered = Integer.parseInt(r.group(1)) > 0;
      return new ProbeResult(answered, answered ? allGroups(HABETS_FROM, text) : List.of());
    }
    if (out.exitCode() == 0) {
      return new ProbeResult(false, List.of());
    }
    List<String> macs = allGroups(IPUTILS_REPLY, text);
    if (out.exitCode() == 1 && (!macs.isEmpty() || text.contains("Received"))) {
      return new ProbeResult(true, macs);
    }
    throw new IllegalStateException("arping probe failed (exit " + out.exitCode() + "): " + out.diagnostic());
  }

  private static List<String> allGroups(Pattern p, String text) {
    Matcher m = p.matcher(text);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      String mac = m.group(1).toLowerCase(Locale.ROOT);
      if (!out.contains(mac)) {
        out.add(mac);
      }
    }
    return out;
  }

  /** Seconds with millisecond precision, e.g. "0.2", "1". */
  static String seconds(Duration d) {
    long ms = Math.max(1, d.toMillis());
    return ms % 1000 == 0 ? Long.toString(ms / 1000)
        : java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
  }
}
