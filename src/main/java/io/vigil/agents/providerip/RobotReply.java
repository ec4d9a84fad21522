package io.vigil.agents.providerip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Hetzner Robot webservice reply to GET/POST /failover/{ip}, classified by the documented
 * status and error codes (robot.hetzner.com/doc/webservice, "Failover"). Pure.
 *
 * <p>Success: 200 {"failover":{"ip","netmask","server_ip","server_number","active_server_ip"}}.
 * Errors: {"error":{"status","code","message"}}: 404 NOT_FOUND, 404 FAILOVER_NEW_SERVER_NOT_FOUND,
 * 400 INVALID_INPUT, 409 FAILOVER_ALREADY_ROUTED, 409 FAILOVER_LOCKED, 500 FAILOVER_FAILED,
 * 500 FAILOVER_NOT_COMPLETE, 401 UNAUTHORIZED, 403 RATE_LIMIT_EXCEEDED (with max_request, interval).
 */
public sealed interface RobotReply {
  ObjectMapper JSON = new ObjectMapper();

  /** The failover record; the address is routed to {@code activeServerIp} (null if unrouted). */
  record Failover(String ip, String netmask, String serverIp, Optional<String> activeServerIp)
      implements RobotReply {}

  /** POST to the server it is already routed to. */
  record AlreadyRouted() implements RobotReply {}

  /** A switch is in progress; retry later. */
  record Locked(String message) implements RobotReply {}

  /** Too many requests; {@code interval} seconds window when Robot says so. */
  record RateLimited(OptionalInt maxRequest, OptionalInt intervalSeconds) implements RobotReply {}

  /** Wrong credentials: never retried, Robot blocks the client IP after repeated failures. */
  record Unauthorized() implements RobotReply {}

  /** A hard error that retrying cannot fix (unknown IP, unknown target server, bad input). */
  record Hard(int status, String code, String message) implements RobotReply {}

  /** A temporary failure worth retrying (FAILOVER_FAILED, 5xx, unreadable 5xx body). */
  record Transient(int status, String code, String message) implements RobotReply {}

  /** Classifies one HTTP reply. */
  static RobotReply classify(int status, String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body == null ? "" : body);
    } catch (Exception e) {
      root = null;
    }
    if (status == 401) {
      return new Unauthorized();
    }
    if (root != null && status == 200 && root.path("failover").isObject()) {
      JsonNode f = root.get("failover");
      JsonNode active = f.path("active_server_ip");
      return new Failover(f.path("ip").asText(""), f.path("netmask").asText(""), f.path("server_ip").asText(""),
          active.isTextual() && !active.asText().isEmpty() ? Optional.of(active.asText()) : Optional.empty());
    }
    JsonNode err = root == null ? null : root.path("error");
    if (err == null || !err.isObject()) {
      String snippet = body == null ? "" : body.strip();
      snippet = snippet.length() > 120 ? snippet.substring(0, 120) + "..." : snippet;
      return status >= 500 || status == 0
          ? new Transient(status, "HTTP_" + status, "unreadable reply: " + snippet)
          : new Hard(status, "HTTP_" + status, "unexpected reply: " + snippet);
    }
    String code = err.path("code").asText("");
    String message = err.path("message").asText("");
    return switch (code) {
      case "FAILOVER_ALREADY_ROUTED" -> new AlreadyRouted();
      case "FAILOVER_LOCKED" -> new Locked(message);
      case "RATE_LIMIT_EXCEEDED" -> new RateLimited(intOf(err, "max_request"), intOf(err, "interval"));
      case "UNAUTHORIZED" -> new Unauthorized();
      case "FAILOVER_FAILED", "FAILOVER_NOT_COMPLETE", "INTERNAL_ERROR" -> new Transient(status, code, message);
      default -> status >= 500 ? new Transient(status, code, message) : new Hard(status, code, message);
    };
  }

  private static OptionalInt intOf(JsonNode n, String field) {
    return n.path(field).canConvertToInt() ? OptionalInt.of(n.get(field).asInt()) : OptionalInt.empty();
  }
}
