package io.vigil.agents.providerip;

import io.vigil.agents.ip.AgentResult;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Hetzner Robot failover IP driver: POST /failover/{ip} active_server_ip=SELF to switch, GET
 * /failover/{ip} to check. Robot answers a switch after it completed (20-60 s), so start returns
 * once Robot reports this node active. Error handling follows {@link RobotReply}.
 */
public final class RobotFailoverDriver implements FailoverDriver {
  private final URI base;
  private final String failoverIp;
  private final String self;
  private final Credentials credentials;
  private final Path credentialsFile;
  private final HttpClient http;
  private final RetryLoop retry;

  /**
   * @param base API root, e.g. https://robot-ws.your-server.de
   * @param self this node's server main IP (the active_server_ip value that means "here")
   */
  public RobotFailoverDriver(URI base, String failoverIp, String self, Credentials credentials,
      Path credentialsFile, HttpClient http, RetryLoop retry) {
    this.base = base;
    this.failoverIp = failoverIp;
    this.self = self;
    this.credentials = credentials;
    this.credentialsFile = credentialsFile;
    this.http = http;
    this.retry = retry;
  }

  @Override
  public AgentResult routeHere(Duration timeout) {
    return retry.run("route failover IP " + failoverIp + " to " + self, timeout, remaining -> {
      RobotReply reply = send(HttpRequest.newBuilder(uri())
          .timeout(remaining)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(
              "active_server_ip=" + URLEncoder.encode(self, StandardCharsets.UTF_8))));
      return switch (reply) {
        case RobotReply.Failover f when f.activeServerIp().filter(self::equals).isPresent() ->
            done(AgentResult.success("Robot routes " + failoverIp + " to " + self));
        case RobotReply.Failover f -> new RetryLoop.Retry("Robot answered the switch with active_server_ip="
            + f.activeServerIp().orElse("(none)"), false);
        case RobotReply.AlreadyRouted a ->
            done(AgentResult.success("Robot already routes " + failoverIp + " to " + self));
        default -> common(reply);
      };
    });
  }

  @Override
  public AgentResult checkHere(Duration timeout) {
    return retry.run("check failover IP " + failoverIp, timeout, remaining -> {
      RobotReply reply = send(HttpRequest.newBuilder(uri()).timeout(remaining).GET());
      return switch (reply) {
        case RobotReply.Failover f when f.activeServerIp().filter(self::equals).isPresent() ->
            done(AgentResult.success("Robot routes " + failoverIp + " to " + self));
        case RobotReply.Failover f -> done(AgentResult.notRunning("Robot routes " + failoverIp + " to "
            + f.activeServerIp().orElse("no server (unrouted)") + ", not to " + self));
        default -> common(reply);
      };
    });
  }

  /** Errors shared by GET and POST. */
  private RetryLoop.Step common(RobotReply reply) {
    return switch (reply) {
      case RobotReply.Locked l -> new RetryLoop.Retry("FAILOVER_LOCKED: a switch of " + failoverIp
          + " is in progress" + (l.message().isEmpty() ? "" : " (" + l.message() + ")"), false);
      case RobotReply.RateLimited r -> new RetryLoop.Retry("RATE_LIMIT_EXCEEDED"
          + (r.maxRequest().isPresent() && r.intervalSeconds().isPresent()
              ? " (" + r.maxRequest().getAsInt() + " requests per " + r.intervalSeconds().getAsInt() + " s)" : ""),
          true);
      case RobotReply.Unauthorized u -> done(AgentResult.failed(AgentResult.OCF_ERR_PERM,
          "Robot rejected the credentials from " + credentialsFile + " (401 UNAUTHORIZED); not retrying,"
              + " Robot blocks the client IP after repeated failed logins"));
      case RobotReply.Hard h -> done(AgentResult.failed(AgentResult.OCF_ERR_CONFIGURED,
          "Robot: " + h.status() + " " + h.code() + explain(h.code()) + (h.message().isEmpty() ? "" : ": " + h.message())));
      case RobotReply.Transient t -> new RetryLoop.Retry("Robot: " + t.status() + " " + t.code()
          + (t.message().isEmpty() ? "" : ": " + t.message()), false);
      default -> throw new IllegalStateException("unexpected Robot reply " + reply);
    };
  }

  private String explain(String code) {
    return switch (code) {
      case "NOT_FOUND" -> " (failover IP " + failoverIp + " is not in this Robot account)";
      case "FAILOVER_NEW_SERVER_NOT_FOUND" -> " (" + self + " is not a server of this Robot account)";
      case "INVALID_INPUT" -> " (active_server_ip " + self + " was rejected)";
      default -> "";
    };
  }

  private RobotReply send(HttpRequest.Builder b) throws InterruptedException {
    HttpRequest req = b.header("Authorization", credentials.authorization().reveal())
        .header("Accept", "application/json").build();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      return RobotReply.classify(resp.statusCode(), resp.body());
    } catch (IOException e) {
      return new RobotReply.Transient(0, e.getClass().getSimpleName(),
          req.method() + " " + req.uri() + ": " + (e.getMessage() == null ? "no answer" : e.getMessage()));
    }
  }

  private URI uri() {
    String b = base.toString();
    return URI.create((b.endsWith("/") ? b : b + "/") + "failover/" + failoverIp);
  }

  private static RetryLoop.Step done(AgentResult r) {
    return new RetryLoop.Done(r);
  }
}
