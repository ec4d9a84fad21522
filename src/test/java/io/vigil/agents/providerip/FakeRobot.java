package io.vigil.agents.providerip;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A local server (127.0.0.1, ephemeral port) that follows the documented Robot failover API:
 * GET/POST /failover/{ip}, Basic auth, JSON replies and documented errors, switches that keep the
 * address locked for a while (FAILOVER_LOCKED), a request rate limit (RATE_LIMIT_EXCEEDED), and
 * optionally a POST that blocks for real while the "switch" runs. Time comes from a FakeTime.
 */
public final class FakeRobot implements AutoCloseable {
  record Routing(String serverIp, String active, Instant lockedUntil) {}

  private final HttpServer server;
  private final FakeTime time;
  private final String authorization;
  final Map<String, Routing> failovers = new HashMap<>();
  final Set<String> servers = new HashSet<>();
  final List<String> log = new ArrayList<>();
  final Deque<String[]> forced = new ArrayDeque<>(); // {status, code, message}
  Duration switchLock = Duration.ofSeconds(30);
  Duration realPostDelay = Duration.ZERO;
  int rateLimitMax = Integer.MAX_VALUE;
  Duration rateLimitInterval = Duration.ofHours(1);
  private final List<Instant> requestTimes = new ArrayList<>();
  int failedLogins;

  public FakeRobot(FakeTime time, String user, String password) throws IOException {
    this.time = time;
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/failover/", this::handle);
    server.start();
  }

  /** For tests in other packages (the CLI). */
  public synchronized void addFailover(String ip, String serverIp, String active) {
    servers.add(serverIp);
    servers.add(active);
    failovers.put(ip, new Routing(serverIp, active, Instant.EPOCH));
  }

  public synchronized void addServer(String ip) {
    servers.add(ip);
  }

  public synchronized String activeOf(String ip) {
    return failovers.get(ip).active();
  }

  public synchronized int failedLogins() {
    return failedLogins;
  }

  public URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Another actor (e.g. the Robot web UI) switches the address now: locked for switchLock. */
  synchronized void switchByOther(String ip, String target) {
    Routing r = failovers.get(ip);
    failovers.put(ip, new Routing(r.serverIp(), target, time.instant().plus(switchLock)));
  }

  /** Uses up the request budget of the current window, as a busy Robot account would. */
  synchronized void exhaustRateLimit() {
    while (requestTimes.size() < rateLimitMax) {
      requestTimes.add(time.instant());
    }
  }

  synchronized List<String> requests() {
    return List.copyOf(log);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String[] reply;
      synchronized (this) {
        reply = route(ex);
      }
      if (ex.getRequestMethod().equals("POST") && reply[0].equals("200") && !realPostDelay.isZero()) {
        try {
          Thread.sleep(realPostDelay.toMillis()); // Robot answers a switch only once it is done
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = reply[1].getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(Integer.parseInt(reply[0]), body.length);
      ex.getResponseBody().write(body);
    }
  }

  private String[] route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String ip = ex.getRequestURI().getPath().substring("/failover/".length());
    String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    log.add(method + " /failover/" + ip + (form.isEmpty() ? "" : " " + form));
    if (!authorization.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      failedLogins++;
      return error(401, "UNAUTHORIZED", "Unauthorized");
    }
    Instant now = time.instant();
    requestTimes.removeIf(t -> !t.isAfter(now.minus(rateLimitInterval)));
    if (requestTimes.size() >= rateLimitMax) {
      return new String[] {"403", "{\"error\":{\"status\":403,\"code\":\"RATE_LIMIT_EXCEEDED\",\"message\":"
          + "\"Rate limit exceeded\",\"max_request\":" + rateLimitMax + ",\"interval\":"
          + rateLimitInterval.toSeconds() + "}}"};
    }
    requestTimes.add(now);
    if (!forced.isEmpty()) {
      String[] f = forced.poll();
      return error(Integer.parseInt(f[0]), f[1], f[2]);
    }
    Routing r = failovers.get(ip);
    if (r == null) {
      return error(404, "NOT_FOUND", "Failover IP not found");
    }
    if (method.equals("GET")) {
      return ok(ip, r);
    }
    if (!method.equals("POST")) {
      return error(405, "METHOD_NOT_ALLOWED", "Method not allowed");
    }
    String target = null;
    for (String kv : form.split("&")) {
      if (kv.startsWith("active_server_ip=")) {
        target = URLDecoder.decode(kv.substring(17), StandardCharsets.UTF_8);
      }
    }
    if (target == null || target.isEmpty()) {
      return error(400, "INVALID_INPUT", "Invalid input parameters");
    }
    if (!servers.contains(target)) {
      return error(404, "FAILOVER_NEW_SERVER_NOT_FOUND", "Server not found");
    }
    if (now.isBefore(r.lockedUntil())) {
      return error(409, "FAILOVER_LOCKED", "Failover IP is locked, a switch is in progress");
    }
    if (target.equals(r.active())) {
      return error(409, "FAILOVER_ALREADY_ROUTED", "Failover already routed");
    }
    Routing next = new Routing(r.serverIp(), target, now.plus(switchLock));
    failovers.put(ip, next);
    return ok(ip, next);
  }

  private static String[] ok(String ip, Routing r) {
    return new String[] {"200", "{\"failover\":{\"ip\":\"" + ip + "\",\"netmask\":\"255.255.255.255\","
        + "\"server_ip\":\"" + r.serverIp() + "\",\"server_number\":321,\"active_server_ip\":"
        + (r.active() == null ? "null" : "\"" + r.active() + "\"") + "}}"};
  }

  private static String[] error(int status, String code, String message) {
    return new String[] {Integer.toString(status), "{\"error\":{\"status\":" + status + ",\"code\":\"" + code
        + "\",\"message\":\"" + message + "\"}}"};
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
