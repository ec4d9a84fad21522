package io.vigil.agents.providerip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.agents.ip.AgentResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Generic failover driver for providers with an HTTP API: a templated switch request, then the
 * status URL is polled until it names this node (APIs that switch asynchronously return before
 * the switch is done). 401/403 are not retried; retry-status codes back off; others are hard.
 */
public final class HttpFailoverDriver implements FailoverDriver {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpDriverSpec spec;
  private final Map<String, String> values;
  private final String self;
  private final Optional<Credentials> credentials;
  private final Optional<Path> credentialsFile;
  private final HttpClient http;
  private final RetryLoop retry;
  private final InstantSource clock;

  public HttpFailoverDriver(HttpDriverSpec spec, String address, String self, Optional<Credentials> credentials,
      Optional<Path> credentialsFile, HttpClient http, RetryLoop retry, InstantSource clock) {
    this.spec = spec;
    this.values = Map.of("address", address, "self", self);
    this.self = self;
    this.credentials = credentials;
    this.credentialsFile = credentialsFile;
    this.http = http;
    this.retry = retry;
    this.clock = clock;
  }

  @Override
  public AgentResult routeHere(Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    String body = spec.switchBody().expand(values);
    AgentResult switched = retry.run("switch " + values.get("address") + " to " + self, timeout, remaining -> {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(spec.switchUrl().expand(values))).timeout(remaining)
          .method(spec.switchMethod(), body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body));
      if (!body.isEmpty()) {
        b.header("Content-Type", spec.contentType());
      }
      return switchStep(send(b));
    });
    if (!switched.isSuccess()) {
      return switched;
    }
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      return AgentResult.failed(AgentResult.OCF_ERR_GENERIC, "switch accepted but no time left to confirm it");
    }
    AgentResult confirmed = retry.run("confirm " + values.get("address") + " on " + self, left,
        remaining -> statusStep(remaining, true));
    return confirmed.isSuccess()
        ? AgentResult.success("provider routes " + values.get("address") + " to " + self) : confirmed;
  }

  @Override
  public AgentResult checkHere(Duration timeout) {
    return retry.run("check " + values.get("address"), timeout, remaining -> statusStep(remaining, false));
  }

  private RetryLoop.Step switchStep(Reply r) {
    if (r.error().isPresent()) {
      return new RetryLoop.Retry(r.error().get(), false);
    }
    if (spec.switchSuccess().contains(r.status())) {
      if (spec.switchPointer().isEmpty()) {
        return new RetryLoop.Done(AgentResult.success("switch accepted (" + r.status() + ")"));
      }
      String expected = spec.switchValue().orElseThrow().expand(values);
      Optional<String> got = at(r.body(), spec.switchPointer().get().toString());
      return got.filter(expected::equals).isPresent()
          ? new RetryLoop.Done(AgentResult.success("switch accepted (" + r.status() + ")"))
          : new RetryLoop.Retry("switch reply has " + got.orElse("nothing") + " at "
              + spec.switchPointer().get() + ", expected " + expected, false);
    }
    return failure(r);
  }

  private RetryLoop.Step statusStep(Duration remaining, boolean waitForSelf) throws InterruptedException {
    Reply r = send(HttpRequest.newBuilder(URI.create(spec.statusUrl().expand(values))).timeout(remaining).GET());
    if (r.error().isPresent()) {
      return new RetryLoop.Retry(r.error().get(), false);
    }
    if (r.status() < 200 || r.status() > 299) {
      return failure(r);
    }
    if (holdsHere(r.body())) {
      return new RetryLoop.Done(AgentResult.success("provider routes " + values.get("address") + " to " + self));
    }
    String holder = spec.statusPointer().flatMap(p -> at(r.body(), p.toString())).orElse("another node");
    String msg = "provider routes " + values.get("address") + " to " + holder + ", not to " + self;
    return waitForSelf ? new RetryLoop.Retry(msg, false) : new RetryLoop.Done(AgentResult.notRunning(msg));
  }

  private RetryLoop.Step failure(Reply r) {
    if (spec.throttleStatus().contains(r.status())) {
      return new RetryLoop.Retry("rate limited (" + r.status() + ")", true);
    }
    if (spec.retryStatus().contains(r.status())) {
      return new RetryLoop.Retry("provider answered " + r.status() + snippet(r.body()), false);
    }
    if (r.status() == 401 || r.status() == 403) {
      return new RetryLoop.Done(AgentResult.failed(AgentResult.OCF_ERR_PERM, "provider rejected the credentials"
          + credentialsFile.map(f -> " from " + f).orElse(" (none configured)") + " (" + r.status() + "); not retrying"));
    }
    return new RetryLoop.Done(AgentResult.failed(AgentResult.OCF_ERR_CONFIGURED,
        "provider answered " + r.status() + snippet(r.body())));
  }

  boolean holdsHere(String body) {
    if (spec.statusPointer().isPresent()) {
      return at(body, spec.statusPointer().get().toString()).filter(self::equals).isPresent();
    }
    Map<String, String> quoted = Map.of("address", Pattern.quote(values.get("address")), "self", Pattern.quote(self));
    return Pattern.compile(spec.statusRegex().orElseThrow().expand(quoted)).matcher(body).find();
  }

  private static Optional<String> at(String body, String pointer) {
    try {
      JsonNode n = JSON.readTree(body).at(pointer);
      return n.isMissingNode() || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String snippet(String body) {
    String s = body == null ? "" : body.strip().replace('\n', ' ');
    return s.isEmpty() ? "" : ": " + (s.length() > 160 ? s.substring(0, 160) + "..." : s);
  }

  private record Reply(int status, String body, Optional<String> error) {}

  private Reply send(HttpRequest.Builder b) throws InterruptedException {
    credentials.ifPresent(c -> b.header("Authorization", c.authorization().reveal()));
    HttpRequest req = b.header("Accept", "application/json").build();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      return new Reply(resp.statusCode(), resp.body(), Optional.empty());
    } catch (IOException e) {
      return new Reply(0, "", Optional.of(req.method() + " " + req.uri() + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
    }
  }
}
