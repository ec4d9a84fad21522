package io.vigil.agents.providerip;

import io.vigil.agents.ip.ConfigKey;
import io.vigil.model.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Every parameter of the built-in {@code provider-ip} resource type, in one place. */
public final class ProviderIpConfigKeys {
  /** Template values and "self" identifiers: no characters that need escaping anywhere. */
  static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:\\-]{1,128}");

  private ProviderIpConfigKeys() {}

  /** The provider drivers. */
  public enum Driver { HETZNER_ROBOT, HTTP }

  public static final ConfigKey<Driver> DRIVER = new ConfigKey<>("driver", Optional.of(Driver.HETZNER_ROBOT),
      "hetzner-robot or http (generic templated API)", s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "hetzner-robot", "robot", "hetzner" -> Driver.HETZNER_ROBOT;
        case "http", "generic" -> Driver.HTTP;
        default -> throw new IllegalArgumentException("'" + s + "' is not a driver, expected hetzner-robot or http");
      });
  public static final ConfigKey<String> ADDRESS = new ConfigKey<>("address", Optional.empty(),
      "the failover address (required), e.g. 203.0.113.60 or a provider's address id",
      s -> token(s, "an IP address or provider id"));
  public static final ConfigKey<String> SELF = new ConfigKey<>("self", Optional.empty(),
      "what the provider calls this node (required): for Robot this server's main IP",
      s -> token(s, "an IP address or provider id"));
  public static final ConfigKey<Path> CREDENTIALS_FILE = new ConfigKey<>("credentials-file", Optional.empty(),
      "file with USER:PASSWORD (basic) or a token (bearer), mode 0600; never put secrets in the config",
      s -> absolute(s));
  public static final ConfigKey<Credentials.Kind> AUTH = new ConfigKey<>("auth", Optional.of(Credentials.Kind.BASIC),
      "http driver: basic or bearer (Robot always uses basic)", s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "basic" -> Credentials.Kind.BASIC;
        case "bearer" -> Credentials.Kind.BEARER;
        default -> throw new IllegalArgumentException("'" + s + "' is not an auth kind, expected basic or bearer");
      });
  public static final ConfigKey<URI> API_URL = new ConfigKey<>("api-url",
      Optional.of(URI.create("https://robot-ws.your-server.de")), "Robot webservice root",
      ProviderIpConfigKeys::httpUri);
  public static final ConfigKey<Duration> TIMEOUT = new ConfigKey<>("timeout", Optional.of(Duration.ofSeconds(120)),
      "start timeout when the executor gives none; a Robot switch takes 20-60 s",
      s -> range(Durations.parse(s), Duration.ofSeconds(1), Duration.ofMinutes(30)));
  public static final ConfigKey<Duration> MONITOR_TIMEOUT = new ConfigKey<>("monitor-timeout",
      Optional.of(Duration.ofSeconds(30)), "monitor timeout when the executor gives none",
      s -> range(Durations.parse(s), Duration.ofSeconds(1), Duration.ofMinutes(10)));
  public static final ConfigKey<Duration> BACKOFF_INITIAL = new ConfigKey<>("backoff-initial",
      Optional.of(Duration.ofSeconds(2)), "first wait after FAILOVER_LOCKED / a temporary error, doubled each retry",
      s -> range(Durations.parse(s), Duration.ofMillis(10), Duration.ofMinutes(5)));
  public static final ConfigKey<Duration> BACKOFF_MAX = new ConfigKey<>("backoff-max",
      Optional.of(Duration.ofSeconds(15)), "longest wait between retries",
      s -> range(Durations.parse(s), Duration.ofMillis(10), Duration.ofMinutes(10)));
  public static final ConfigKey<Duration> RATE_LIMIT_BACKOFF = new ConfigKey<>("rate-limit-backoff",
      Optional.of(Duration.ofSeconds(30)), "first wait after RATE_LIMIT_EXCEEDED (doubled, capped at 4x)",
      s -> range(Durations.parse(s), Duration.ofMillis(10), Duration.ofMinutes(30)));
  public static final ConfigKey<Path> STATE_DIR = new ConfigKey<>("state-dir",
      Optional.of(Path.of("/run/vigil/provider-ip")), "where start records that this node holds the address",
      ProviderIpConfigKeys::absolute);

  /** Keys of every driver, in documentation order; the http driver adds {@link HttpDriverSpec#KEYS}. */
  public static final List<ConfigKey<?>> ALL = List.of(DRIVER, ADDRESS, SELF, CREDENTIALS_FILE, AUTH, API_URL,
      TIMEOUT, MONITOR_TIMEOUT, BACKOFF_INITIAL, BACKOFF_MAX, RATE_LIMIT_BACKOFF, STATE_DIR);

  static String token(String s, String what) {
    if (!TOKEN.matcher(s).matches()) {
      throw new IllegalArgumentException("'" + s + "' is not valid, expected " + what + " [A-Za-z0-9_.:-]");
    }
    return s;
  }

  static Path absolute(String s) {
    if (!s.startsWith("/")) {
      throw new IllegalArgumentException("'" + s + "' is not an absolute path");
    }
    return Path.of(s);
  }

  static URI httpUri(String s) {
    if (s.contains("@")) {
      // never echo: the part before '@' may be a password
      throw new IllegalArgumentException("the URL carries credentials (user@host); put them in credentials-file");
    }
    URI u;
    try {
      u = URI.create(s.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + s + "' is not a URL");
    }
    if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException("'" + s + "' is not an http(s) URL with a host");
    }
    return u;
  }

  static Duration range(Duration d, Duration min, Duration max) {
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(Durations.format(d) + " is out of range, expected "
          + Durations.format(min) + ".." + Durations.format(max));
    }
    return d;
  }
}
