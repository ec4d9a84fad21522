package io.vigil.agents.ip;

import io.vigil.model.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Every parameter of the built-in {@code ip} resource type, in one place. */
public final class IpConfigKeys {
  /** Linux interface names: 1..15 characters, no '/', ':' or whitespace. */
  static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.\\-@]{1,15}");
  /** Network namespace names as `ip netns` accepts them (a file name under /run/netns). */
  static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

  private IpConfigKeys() {}

  public static final ConfigKey<String> ADDRESS =
      new ConfigKey<>(
          "address",
          Optional.empty(),
          "IPv4 or IPv6 address, optionally with /prefix (required)",
          s -> s);
  public static final ConfigKey<Integer> PREFIX =
      new ConfigKey<>(
          "prefix",
          Optional.empty(),
          "prefix length; default: from address/prefix, else 32 (IPv4) or 128 (IPv6); forced to"
              + " the full length on lo",
          s -> parseInt(s, 0, 128));
  public static final ConfigKey<String> INTERFACE =
      new ConfigKey<>(
          "interface",
          Optional.empty(),
          "network interface that carries the address (required), e.g. eth0 or lo",
          s -> requireMatch(s, IFNAME, "an interface name of 1..15 characters [A-Za-z0-9_.-@]"));
  public static final ConfigKey<String> LABEL =
      new ConfigKey<>(
          "label",
          Optional.empty(),
          "IPv4 address label (INTERFACE:NAME or just NAME), at most 15 characters in total",
          s -> s);
  public static final ConfigKey<String> NETNS_KEY =
      new ConfigKey<>(
          "netns",
          Optional.empty(),
          "network namespace (ip netns name) that holds the interface; default: the current one",
          s -> requireMatch(s, NETNS, "a namespace name [A-Za-z0-9_.-], at most 64 characters"));
  public static final ConfigKey<Integer> ANNOUNCE_COUNT =
      new ConfigKey<>(
          "announce-count",
          Optional.of(5),
          "unsolicited ARP / neighbour advertisements sent after start (0 = none); the first at once",
          s -> parseInt(s, 0, 100));
  public static final ConfigKey<Duration> ANNOUNCE_INTERVAL =
      new ConfigKey<>(
          "announce-interval",
          Optional.of(Duration.ofMillis(200)),
          "time between announcements",
          s -> requireRange(Durations.parse(s), Duration.ofMillis(10), Duration.ofSeconds(10)));
  public static final ConfigKey<Boolean> PROBE =
      new ConfigKey<>(
          "probe",
          Optional.of(true),
          "before adding, check that no other host answers for the address (ARP probe / DAD)",
          IpConfigKeys::parseBoolean);
  public static final ConfigKey<Duration> PROBE_TIMEOUT =
      new ConfigKey<>(
          "probe-timeout",
          Optional.of(Duration.ofMillis(100)),
          "how long the IPv4 ARP probe waits for an answer; it delays every start (LAN replies take"
              + " well under 1 ms)",
          s -> requireRange(Durations.parse(s), Duration.ofMillis(100), Duration.ofSeconds(30)));
  public static final ConfigKey<Duration> DAD_TIMEOUT =
      new ConfigKey<>(
          "dad-timeout",
          Optional.of(Duration.ofSeconds(5)),
          "how long start waits for IPv6 duplicate address detection to finish",
          s -> requireRange(Durations.parse(s), Duration.ofMillis(100), Duration.ofSeconds(60)));
  public static final ConfigKey<Path> STATE_DIR =
      new ConfigKey<>(
          "state-dir",
          Optional.of(Path.of("/run/vigil/ip")),
          "directory of ownership records (which addresses Vigil added); tmpfs, like the addresses",
          s -> {
            if (!s.startsWith("/")) {
              throw new IllegalArgumentException("'" + s + "' is not an absolute path");
            }
            return Path.of(s);
          });

  /** All keys in documentation order. */
  public static final List<ConfigKey<?>> ALL =
      List.of(
          ADDRESS,
          PREFIX,
          INTERFACE,
          LABEL,
          NETNS_KEY,
          ANNOUNCE_COUNT,
          ANNOUNCE_INTERVAL,
          PROBE,
          PROBE_TIMEOUT,
          DAD_TIMEOUT,
          STATE_DIR);

  static int parseInt(String s, int min, int max) {
    int v;
    try {
      v = Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not an integer");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(v + " is out of range, expected " + min + ".." + max);
    }
    return v;
  }

  static boolean parseBoolean(String s) {
    return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("'" + s + "' is not a boolean (true/false)");
    };
  }

  static String requireMatch(String s, Pattern p, String expected) {
    if (!p.matcher(s).matches()) {
      throw new IllegalArgumentException("'" + s + "' is not valid, expected " + expected);
    }
    return s;
  }

  static Duration requireRange(Duration d, Duration min, Duration max) {
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          Durations.format(d)
              + " is out of range, expected "
              + Durations.format(min)
              + ".."
              + Durations.format(max));
    }
    return d;
  }
}
