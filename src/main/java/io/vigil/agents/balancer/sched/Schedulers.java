package io.vigil.agents.balancer.sched;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Creates schedulers by their ipvsadm name; the one place that lists them. */
public final class Schedulers {
  /** Every scheduler name ipvsadm(8) documents that Vigil implements, default first. */
  public static final List<String> NAMES =
      List.of("wlc", "rr", "wrr", "lc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh");

  /** The default scheduler, as for ipvsadm. */
  public static final String DEFAULT = "wlc";

  /** lblc/lblcr entry expiration, the kernel's default sysctl value. */
  public static final Duration DEFAULT_LOCALITY_EXPIRATION = Duration.ofHours(24);

  private Schedulers() {}

  /**
   * Options of the hashing schedulers (ipvsadm -b flags): sh-fallback/mh-fallback use another
   * server when the hashed one is unavailable, sh-port/mh-port also hash the client port.
   */
  public record Options(boolean fallback, boolean hashPort, int maglevTableSize, Duration localityExpiration) {
    public static final Options DEFAULTS =
        new Options(false, false, Maglev.DEFAULT_TABLE_SIZE, DEFAULT_LOCALITY_EXPIRATION);
  }

  /** A new scheduler; unknown names fail with the list of known ones. */
  public static Scheduler create(String name, Options options, LongSupplier nanoTicker) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "rr" -> new RoundRobin();
      case "wrr" -> new WeightedRoundRobin();
      case "lc" -> new LeastConnection(LeastConnection.Kind.LC);
      case "wlc" -> new LeastConnection(LeastConnection.Kind.WLC);
      case "sed" -> new LeastConnection(LeastConnection.Kind.SED);
      case "nq" -> new LeastConnection(LeastConnection.Kind.NQ);
      case "lblc" -> new Locality(false, options.localityExpiration(), nanoTicker);
      case "lblcr" -> new Locality(true, options.localityExpiration(), nanoTicker);
      case "dh" -> new SourceHash(false, false, true);
      case "sh" -> new SourceHash(options.fallback(), options.hashPort(), false);
      case "mh" -> new Maglev(options.maglevTableSize(), options.fallback(), options.hashPort());
      default -> throw new IllegalArgumentException(
          "unknown scheduler '" + name + "', expected one of " + String.join(", ", NAMES));
    };
  }
}
