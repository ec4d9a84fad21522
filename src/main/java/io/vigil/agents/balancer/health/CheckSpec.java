package io.vigil.agents.balancer.health;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What to probe on a real server; the timing (interval, timeout, rise, fall) is in {@link CheckPolicy}. */
public sealed interface CheckSpec {

  /** TCP connect to the real server's address (keepalived TCP_CHECK, ldirectord "connect"). */
  record Tcp() implements CheckSpec {}

  /**
   * HTTP(S) GET (keepalived HTTP_GET/SSL_GET, ldirectord "negotiate"): the status must be in one of
   * the ranges, and the body must match the regex and/or have the MD5 digest when given.
   * Certificates are not verified, as in keepalived's SSL_GET.
   */
  record Http(
      boolean tls,
      String path,
      Optional<String> virtualHost,
      List<StatusRange> statusRanges,
      Optional<Pattern> bodyRegex,
      Optional<String> md5Digest)
      implements CheckSpec {
    public Http {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("HTTP check path must start with '/', got '" + path + "'");
      }
      if (statusRanges.isEmpty()) {
        throw new IllegalArgumentException("HTTP check needs at least one status range");
      }
      statusRanges = List.copyOf(statusRanges);
      md5Digest = md5Digest.map(d -> d.toLowerCase(java.util.Locale.ROOT));
    }

    /** A plain GET of a path expecting 2xx. */
    public static Http get(String path) {
      return new Http(false, path, Optional.empty(), List.of(new StatusRange(200, 299)),
          Optional.empty(), Optional.empty());
    }
  }

  /**
   * External program (keepalived MISC_CHECK, ldirectord "external"): exit 0 is healthy. With
   * dynamic weight, exit 1 is unhealthy and 2..255 is healthy with weight = exit - 2.
   * The real server's host and port are given in VIGIL_RS_HOST and VIGIL_RS_PORT.
   */
  record Script(List<String> command, boolean dynamicWeight) implements CheckSpec {
    public Script {
      if (command.isEmpty()) {
        throw new IllegalArgumentException("script check needs a command");
      }
      command = List.copyOf(command);
    }
  }

  /** An inclusive range of HTTP status codes ("200-299"). */
  record StatusRange(int from, int to) {
    public StatusRange {
      if (from < 100 || to > 599 || from > to) {
        throw new IllegalArgumentException("status range " + from + "-" + to + " must lie within 100-599, low to high");
      }
    }

    public boolean contains(int status) {
      return status >= from && status <= to;
    }

    /** Parses "200", "200-299". */
    public static StatusRange parse(String text) {
      String[] parts = text.trim().split("-", 2);
      try {
        int from = Integer.parseInt(parts[0].trim());
        int to = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : from;
        return new StatusRange(from, to);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("status range '" + text + "', expected N or N-M", e);
      }
    }

    @Override
    public String toString() {
      return from == to ? Integer.toString(from) : from + "-" + to;
    }
  }

  /** Timing of a check: how often, how long one probe may take, how many results flip the state. */
  record CheckPolicy(Duration interval, Duration timeout, int rise, int fall, boolean startDown) {
    public CheckPolicy {
      if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("check interval and timeout must be > 0, got " + interval + ", " + timeout);
      }
      if (rise < 1 || fall < 1) {
        throw new IllegalArgumentException("rise and fall must be >= 1, got " + rise + ", " + fall);
      }
    }
  }
}
