package io.vigil.agents.providerip;

import io.vigil.agents.ip.AgentResult;
import io.vigil.agents.ip.Sleeper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@code provider-ip} resource type. start routes the address here and returns once
 * the provider reports this node active; stop only forgets the local claim (the next node's start
 * moves the route; nothing else can be unrouted safely); monitor checks the claim and then that
 * the provider still routes the address here.
 */
public final class ProviderIpAgent {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderIpAgent.class);

  private final ProviderIpParams params;
  private final FailoverDriver driver;
  private final Path marker;

  public ProviderIpAgent(ProviderIpParams params, FailoverDriver driver) {
    this.params = params;
    this.driver = driver;
    this.marker = params.stateDir().resolve(params.address().replace(':', '.') + ".active");
  }

  /**
   * Builds the agent with its driver; reading the credentials file happens here, so a missing or
   * unsafe file is reported before any request is made.
   */
  public static ProviderIpAgent create(ProviderIpParams p, HttpClient http, InstantSource clock, Sleeper sleeper)
      throws IOException {
    RetryLoop retry = new RetryLoop(clock, sleeper,
        new RetryLoop.Backoff(p.backoffInitial(), p.backoffMax()),
        new RetryLoop.Backoff(p.rateLimitBackoff(), p.rateLimitBackoff().multipliedBy(4)));
    Optional<Credentials> creds = p.credentialsFile().isPresent()
        ? Optional.of(Credentials.read(p.credentialsFile().get(),
            p.driver() == ProviderIpConfigKeys.Driver.HETZNER_ROBOT ? Credentials.Kind.BASIC : p.auth()))
        : Optional.empty();
    FailoverDriver d = switch (p.driver()) {
      case HETZNER_ROBOT -> new RobotFailoverDriver(p.apiUrl(), p.address(), p.self(), creds.orElseThrow(),
          p.credentialsFile().orElseThrow(), http, retry);
      case HTTP -> new HttpFailoverDriver(p.http().orElseThrow(), p.address(), p.self(), creds,
          p.credentialsFile(), http, retry, clock);
    };
    return new ProviderIpAgent(p, d);
  }

  /** An HTTP client suited to provider APIs: short connect timeout, no redirects to other hosts. */
  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public ProviderIpParams params() {
    return params;
  }

  /** Routes the address here within {@code timeout}; success only when the provider says so. */
  public AgentResult start(Duration timeout) {
    AgentResult r = guarded("start", () -> driver.routeHere(timeout));
    if (r.isSuccess()) {
      try {
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, params.describe() + "\n");
      } catch (IOException e) {
        return AgentResult.failed(AgentResult.OCF_ERR_GENERIC,
            r.message() + ", but could not record it in " + marker + ": " + e.getMessage());
      }
    }
    LOG.info("provider-ip start {}: {}", params.describe(), r);
    return r;
  }

  public AgentResult start() {
    return start(params.timeout());
  }

  /** Forgets the local claim; the route itself moves when another node starts the resource. */
  public AgentResult stop() {
    try {
      Files.deleteIfExists(marker);
      return AgentResult.success("released " + params.address() + " locally (the provider keeps routing it"
          + " here until another node takes it over)");
    } catch (IOException e) {
      return AgentResult.failed(AgentResult.OCF_ERR_GENERIC, "could not remove " + marker + ": " + e.getMessage());
    }
  }

  /** 7 without a local claim; with one, 0 only if the provider routes the address here. */
  public AgentResult monitor(Duration timeout) {
    if (!Files.exists(marker)) {
      return AgentResult.notRunning(params.address() + " not started on this node");
    }
    return guarded("monitor", () -> driver.checkHere(timeout));
  }

  /** A driver bug or an unexpected reply never escapes as an exception: it is an rc 1 with why. */
  private AgentResult guarded(String action, java.util.function.Supplier<AgentResult> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      LOG.warn("provider-ip {} {} failed", action, params.describe(), e);
      return AgentResult.failed(AgentResult.OCF_ERR_GENERIC, action + " " + params.describe() + ": "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  /** Asks the provider whether it routes the address here, ignoring the local claim (CLI status). */
  public AgentResult query(Duration timeout) {
    return guarded("query", () -> driver.checkHere(timeout));
  }

  public AgentResult monitor() {
    return monitor(params.monitorTimeout());
  }
}
