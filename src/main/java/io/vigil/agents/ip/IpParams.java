package io.vigil.agents.ip;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validated parameters of one floating address. Built only by {@link #parse}, so every instance
 * is usable: the address may float, the prefix is the effective one and {@link #notes} says what
 * was changed from the operator's input (e.g. /32 forced on lo).
 */
public record IpParams(
    InetAddress address,
    int prefix,
    String device,
    Optional<String> label,
    Optional<String> netns,
    int announceCount,
    Duration announceInterval,
    boolean probe,
    Duration probeTimeout,
    Duration dadTimeout,
    Path stateDir,
    List<String> notes) {

  public IpParams {
    label = label == null ? Optional.empty() : label;
    netns = netns == null ? Optional.empty() : netns;
    notes = List.copyOf(notes);
  }

  /**
   * Parses raw resource parameters; throws {@link InvalidParamsException} naming the resource and
   * listing every problem, so a bad configuration is rejected whole.
   */
  public static IpParams parse(String resource, Map<String, String> raw) {
    List<String> problems = new ArrayList<>();
    Set<String> known = new HashSet<>();
    IpConfigKeys.ALL.forEach(k -> known.add(k.name()));
    raw.keySet().stream()
        .filter(k -> !known.contains(k))
        .sorted()
        .forEach(k -> problems.add("unknown parameter '" + k + "' (known: " + String.join(", ",
            IpConfigKeys.ALL.stream().map(ConfigKey::name).toList()) + ")"));

    Optional<Addresses.AddressAndPrefix> addr =
        required(raw, IpConfigKeys.ADDRESS, problems).flatMap(s -> attempt(() -> Addresses.parse(s), "address", problems));
    Optional<Integer> prefixParam = optional(raw, IpConfigKeys.PREFIX, problems);
    Optional<String> dev = required(raw, IpConfigKeys.INTERFACE, problems);
    Optional<String> labelRaw = optional(raw, IpConfigKeys.LABEL, problems);
    Optional<String> netns = optional(raw, IpConfigKeys.NETNS_KEY, problems);
    int count = value(raw, IpConfigKeys.ANNOUNCE_COUNT, problems);
    Duration interval = value(raw, IpConfigKeys.ANNOUNCE_INTERVAL, problems);
    boolean probe = value(raw, IpConfigKeys.PROBE, problems);
    Duration probeTimeout = value(raw, IpConfigKeys.PROBE_TIMEOUT, problems);
    Duration dadTimeout = value(raw, IpConfigKeys.DAD_TIMEOUT, problems);
    Path stateDir = value(raw, IpConfigKeys.STATE_DIR, problems);

    List<String> notes = new ArrayList<>();
    int prefix = 0;
    Optional<String> label = Optional.empty();
    if (addr.isPresent() && dev.isPresent()) {
      InetAddress a = addr.get().address();
      attempt(() -> { Addresses.requireFloatable(a); return a; }, "address", problems);
      Optional<Integer> requested = addr.get().prefix();
      if (requested.isPresent() && prefixParam.isPresent() && !requested.equals(prefixParam)) {
        problems.add("address has /" + requested.get() + " but prefix is " + prefixParam.get()
            + "; give the prefix once");
      }
      Optional<Integer> wanted = requested.or(() -> prefixParam);
      Optional<Addresses.PrefixDecision> decision =
          attempt(() -> Addresses.effectivePrefix(a, wanted, dev.get()), "prefix", problems);
      if (decision.isPresent()) {
        prefix = decision.get().prefix();
        decision.get().note().ifPresent(notes::add);
        if (wanted.isEmpty() && !"lo".equals(dev.get())) {
          notes.add("no prefix given for " + Addresses.text(a) + ", using /" + prefix);
        }
      }
      if (labelRaw.isPresent()) {
        label = attempt(() -> fullLabel(a, dev.get(), labelRaw.get()), "label", problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidParamsException("ip resource '" + resource + "'", problems);
    }
    return new IpParams(addr.get().address(), prefix, dev.get(), label, netns, count, interval,
        probe, probeTimeout, dadTimeout, stateDir, notes);
  }

  /** Labels are IPv4-only and must start with "DEV:" (iproute2's alias rule), 15 chars at most. */
  static String fullLabel(InetAddress a, String dev, String label) {
    if (a instanceof Inet6Address) {
      throw new IllegalArgumentException("labels exist only for IPv4 addresses");
    }
    String full = label.startsWith(dev + ":") ? label : dev + ":" + label;
    if (full.length() > 15 || !full.substring(dev.length() + 1).matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException("'" + label + "' gives label '" + full
          + "', expected DEV:NAME with NAME in [A-Za-z0-9_.-] and at most 15 characters in total");
    }
    return full;
  }

  /** True for IPv4. */
  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  /** "10.0.0.5/32 on eth0 (netns h1)" for messages. */
  public String describe() {
    return Addresses.text(address) + "/" + prefix + " on " + device
        + netns.map(n -> " (netns " + n + ")").orElse("");
  }

  /** The ownership key of this address. */
  public AddressKey key() {
    return new AddressKey(netns, device, address);
  }

  private static Optional<String> required(Map<String, String> raw, ConfigKey<String> key, List<String> problems) {
    String v = raw.get(key.name());
    if (v == null || v.isBlank()) {
      problems.add("missing required parameter '" + key.name() + "' (" + key.doc() + ")");
      return Optional.empty();
    }
    return attempt(() -> key.parse(v.trim()), null, problems);
  }

  private static <T> Optional<T> optional(Map<String, String> raw, ConfigKey<T> key, List<String> problems) {
    String v = raw.get(key.name());
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    return attempt(() -> key.parse(v.trim()), null, problems);
  }

  private static <T> T value(Map<String, String> raw, ConfigKey<T> key, List<String> problems) {
    return optional(raw, key, problems).orElseGet(() -> key.defaultValue().orElseThrow());
  }

  private static <T> Optional<T> attempt(java.util.function.Supplier<T> s, String name, List<String> problems) {
    try {
      return Optional.of(s.get());
    } catch (IllegalArgumentException e) {
      problems.add(name == null ? e.getMessage() : name + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}
