package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticated REST API: HTTPS with the node's cluster certificate, a bearer token read from
 * a file, JSON in and out. Each route becomes the same request the control socket serves, so both
 * say and refuse the same things. Status codes: 200 done, 400 malformed request, 401 no or wrong
 * token, 404 unknown route, 405 wrong method, 409 refused by the cluster (the body says why; nothing
 * was changed), 503 no leader with a quorum. {@code GET /metrics} (same token) answers the
 * Prometheus text of what runs inside this daemon (balancer counters). An optional second,
 * read-only token (for monitoring) may use every GET route and gets 403 on anything else.
 */
public final class RestApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
  private static final int MAX_BODY = ControlServer.MAX_REQUEST;
  private static final List<String> RESOURCE_OPS = List.of("move", "ban", "clear", "start", "stop", "restart", "cleanup");
  private static final List<String> NODE_STATES = List.of("standby", "online", "maintenance");
  private final ObjectMapper json = new ObjectMapper();
  private final ControlServer.Handler handler;
  private final byte[] token;
  /** The read-only token, or null when none is configured. */
  private final byte[] readOnlyToken;
  private final HttpsServer server;

  /** Starts serving on {@code address}; the token file must hold at least 16 characters. */
  public RestApi(InetSocketAddress address, SSLContext tls, Path tokenFile, ControlServer.Handler handler) throws IOException {
    this(address, tls, tokenFile, null, handler);
  }

  /**
   * Starts serving on {@code address} with the full token from {@code tokenFile} and, unless
   * {@code readOnlyTokenFile} is null, a read-only token from that file (a different one).
   */
  public RestApi(InetSocketAddress address, SSLContext tls, Path tokenFile, Path readOnlyTokenFile, ControlServer.Handler handler)
      throws IOException {
    this.token = readToken(tokenFile, "API token file");
    this.readOnlyToken = readOnlyTokenFile == null ? null : readToken(readOnlyTokenFile, "read-only API token file");
    if (readOnlyToken != null && MessageDigest.isEqual(token, readOnlyToken)) {
      throw new IOException("read-only API token file " + readOnlyTokenFile + " holds the same token as " + tokenFile
          + "; give the read-only token its own value");
    }
    this.handler = handler;
    server = HttpsServer.create(address, 64);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::serve);
    server.start();
  }

  private static byte[] readToken(Path file, String what) throws IOException {
    String t = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (t.length() < 16 || t.contains("\n")) {
      throw new IOException(what + " " + file + " must hold one token of at least 16 characters");
    }
    return t.getBytes(StandardCharsets.UTF_8);
  }

  /** The bound address (useful with port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void serve(HttpExchange x) {
    // Answer inside the try: try-with-resources would close the exchange before a catch runs.
    try (x) {
      answer(x);
    }
  }

  private void answer(HttpExchange x) {
    try {
      Access access = access(x.getRequestHeaders().getFirst("Authorization"));
      if (access == Access.NONE) {
        x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"vigil\"");
        send(x, 401, ControlServer.error("missing or wrong bearer token (Authorization: Bearer <token from the API token file>)"));
        return;
      }
      if (access == Access.READ && !x.getRequestMethod().equals("GET")) {
        send(x, 403, ControlServer.error("the read-only API token may only read (GET routes); "
            + x.getRequestMethod() + " " + x.getRequestURI().getRawPath() + " needs the API token; nothing was changed"));
        return;
      }
      if (x.getRequestURI().getRawPath().equals("/metrics")) {
        metrics(x);
        return;
      }
      Route r = route(x.getRequestMethod(), x.getRequestURI().getRawPath(), query(x.getRequestURI().getRawQuery()), body(x));
      if (r.status != 0) {
        send(x, r.status, ControlServer.error(r.error));
        return;
      }
      JsonNode answer;
      try {
        answer = handler.handle(r.request, access == Access.READ ? "api-readonly" : "api");
      } catch (IOException e) {
        send(x, 503, ControlServer.error(e.getMessage()));
        return;
      }
      send(x, answer.path("ok").asBoolean() ? 200 : 409, answer);
    } catch (BadRequest e) {
      sendQuietly(x, 400, e.getMessage());
    } catch (Exception e) {
      LOG.warn("REST request {} {} failed: {}", x.getRequestMethod(), x.getRequestURI().getRawPath(), e.toString());
      sendQuietly(x, 500, "internal error: " + e.getMessage());
    }
  }

  /** Prometheus text exposition 0.0.4 of this daemon's local reports. */
  private void metrics(HttpExchange x) throws Exception {
    if (!x.getRequestMethod().equals("GET")) {
      send(x, 405, ControlServer.error("use GET for /metrics"));
      return;
    }
    JsonNode answer = handler.handle(json.createObjectNode().put("op", "metrics"), "api");
    if (!answer.path("ok").asBoolean()) {
      send(x, 500, answer);
      return;
    }
    byte[] out = answer.path("text").asText("").getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    x.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
    if (out.length > 0) x.getResponseBody().write(out);
  }

  /** What a request may do: nothing, read (GET routes), or everything. */
  private enum Access { NONE, READ, ALL }

  private Access access(String header) {
    if (header == null || !header.startsWith("Bearer ")) return Access.NONE;
    byte[] given = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
    if (MessageDigest.isEqual(token, given)) return Access.ALL;
    // compared in constant time too, and always, so the answer's timing does not tell which token matched
    boolean read = readOnlyToken != null && MessageDigest.isEqual(readOnlyToken, given);
    return read ? Access.READ : Access.NONE;
  }

  /** A request for the handler, or an HTTP status with a reason. */
  private record Route(ObjectNode request, int status, String error) {
    static Route of(ObjectNode request) {
      return new Route(request, 0, "");
    }

    static Route fail(int status, String error) {
      return new Route(null, status, error);
    }
  }

  private Route route(String method, String rawPath, ObjectNode query, ObjectNode body) {
    List<String> p = java.util.Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty())
        .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
    if (p.size() < 2 || !p.getFirst().equals("v1")) return Route.fail(404, "unknown path " + rawPath + " (routes start with /v1/)");
    String area = p.get(1);
    boolean get = method.equals("GET");
    boolean post = method.equals("POST");
    if (p.size() == 2 && (area.equals("status") || area.equals("history") || area.equals("config"))) {
      return get ? Route.of(query.put("op", area)) : Route.fail(405, "use GET for /v1/" + area);
    }
    if (!post && !(area.equals("fence") && p.size() == 3 && p.get(2).equals("history"))) {
      return Route.fail(405, "use POST for " + rawPath);
    }
    if (p.size() == 2 && area.equals("apply")) return Route.of(body.put("op", "apply"));
    if (p.size() == 4 && area.equals("resources") && RESOURCE_OPS.contains(p.get(3))) {
      return Route.of(body.put("op", "resource-" + p.get(3)).put("resource", p.get(2)));
    }
    if (p.size() == 4 && area.equals("nodes") && NODE_STATES.contains(p.get(3))) {
      return Route.of(body.put("op", "node-state").put("node", p.get(2)).put("state", p.get(3)));
    }
    if (p.size() == 3 && area.equals("cluster") && p.get(2).equals("maintenance")) return Route.of(body.put("op", "cluster-maintenance"));
    if (p.size() == 3 && area.equals("fencing") && (p.get(2).equals("pause") || p.get(2).equals("resume"))) {
      return Route.of(body.put("op", "fencing-" + p.get(2)));
    }
    if (p.size() == 3 && area.equals("fence") && p.get(2).equals("history")) {
      return get ? Route.of(query.put("op", "history").put("kind", "FENCING")) : Route.fail(405, "use GET for " + rawPath);
    }
    if (p.size() == 3 && area.equals("fence")) return Route.of(body.put("op", "fence").put("node", p.get(2)));
    if (p.size() == 4 && area.equals("fence") && p.get(3).equals("confirm")) {
      return Route.of(body.put("op", "fence-confirm").put("node", p.get(2)));
    }
    return Route.fail(404, "unknown route " + method + " " + rawPath);
  }

  private ObjectNode body(HttpExchange x) throws IOException {
    try (InputStream in = x.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) throw new BadRequest("request body longer than " + MAX_BODY + " bytes");
      if (b.length == 0) return json.createObjectNode();
      JsonNode n;
      try {
        n = json.readTree(b);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new BadRequest("request body is not JSON: " + e.getOriginalMessage());
      }
      if (!(n instanceof ObjectNode o)) throw new BadRequest("request body must be a JSON object");
      o.remove("op");
      return o;
    }
  }

  private ObjectNode query(String raw) {
    ObjectNode q = json.createObjectNode();
    if (raw == null || raw.isEmpty()) return q;
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      // Values stay text: the handlers read numbers with asLong()/asInt(), which parse text.
      if (!k.equals("op")) q.put(k, v);
    }
    return q;
  }

  private void send(HttpExchange x, int status, JsonNode body) throws IOException {
    byte[] out = (json.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, out.length);
    x.getResponseBody().write(out);
  }

  private void sendQuietly(HttpExchange x, int status, String message) {
    try {
      send(x, status, ControlServer.error(message));
    } catch (IOException e) {
      LOG.debug("cannot answer {}: {}", status, e.getMessage());
    }
  }

  /** A malformed HTTP request: answered 400. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
