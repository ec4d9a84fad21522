package io.vigil.fencing.device;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.FenceResult.Outcome;
import io.vigil.fencing.FenceResult.Power;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * Built-in {@code stonith:http}: a hosting provider's reset/power API (e.g. Hetzner Robot
 * {@code POST /reset/{server-ip}} with {@code type=hw}). Credentials: {@code login} plus secret {@code passwd}
 * (HTTP Basic) or secret {@code token} (Bearer), both from files.
 *
 * <p>Parameters: {@code url} (with {@code {port}} for the node's mapped name), {@code method} (POST),
 * {@code reboot_body}, {@code off_body}, {@code on_body} (form bodies; an action without one is unsupported),
 * {@code success_match} (text the response must contain), {@code status_url} (GET; 2xx = monitor ok),
 * {@code status_on_match} / {@code status_off_match} (texts that tell the power state).
 */
public final class HttpDevice implements FenceDevice {
  private final String id;
  private final Map<String, String> params;
  private final Secrets secrets;
  private final DeviceSettings settings;
  private final LongSupplier nanos;

  public HttpDevice(String id, Map<String, String> params, Secrets secrets, DeviceSettings settings) {
    this(id, params, secrets, settings, System::nanoTime);
  }

  HttpDevice(String id, Map<String, String> params, Secrets secrets, DeviceSettings settings, LongSupplier nanos) {
    this.id = id;
    this.params = Map.copyOf(params);
    this.secrets = secrets;
    this.settings = settings;
    this.nanos = nanos;
    if (!params.containsKey("url")) throw new IllegalArgumentException("fence device '" + id + "': http device needs 'url'");
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public DeviceSettings settings() {
    return settings;
  }

  @Override
  public FenceResult run(FenceAction action, String node, Duration timeout) throws InterruptedException {
    long start = nanos.getAsLong();
    String port = node == null ? "" : settings.portFor(node);
    return switch (action) {
      case VALIDATE_ALL -> FenceResult.success("parameters valid", Duration.ZERO);
      case MONITOR, STATUS -> {
        if (!params.containsKey("status_url")) {
          yield FenceResult.failed("http device '" + id + "' has no status_url for " + action, Duration.ZERO);
        }
        if (action == FenceAction.STATUS && node == null) yield FenceResult.failed("status needs a node", Duration.ZERO);
        yield send(action, "GET", url(params.get("status_url"), port), null, timeout, start);
      }
      case REBOOT, OFF, ON -> {
        String body = params.get(action.wire() + "_body");
        if (body == null) {
          yield FenceResult.failed("http device '" + id + "' has no " + action.wire() + "_body: action not supported",
              Duration.ZERO);
        }
        if (node == null) yield FenceResult.failed(action + " needs a node", Duration.ZERO);
        yield send(action, params.getOrDefault("method", "POST"), url(params.get("url"), port), body, timeout, start);
      }
      default -> FenceResult.failed("http device cannot " + action.wire(), Duration.ZERO);
    };
  }

  private String url(String template, String port) {
    return template.replace("{port}", URLEncoder.encode(port, StandardCharsets.UTF_8));
  }

  private FenceResult send(FenceAction action, String method, String url, String body, Duration timeout, long start)
      throws InterruptedException {
    HttpRequest.Builder rb;
    try {
      rb = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    } catch (IllegalArgumentException e) {
      return FenceResult.failed("http device '" + id + "': url is not valid (" + secrets.redact(e.getMessage()) + ")", Duration.ZERO);
    }
    rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) rb.header("Content-Type", params.getOrDefault("content_type", "application/x-www-form-urlencoded"));
    secrets.get("token").ifPresent(t -> rb.header("Authorization", "Bearer " + t.reveal()));
    secrets.get("passwd").ifPresent(p -> rb.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
        (params.getOrDefault("login", "") + ":" + p.reveal()).getBytes(StandardCharsets.UTF_8))));
    String where = method + " " + secrets.redact(url);
    try {
      HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
      HttpResponse<String> resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(nanos.getAsLong() - start);
      String text = secrets.redact(resp.body() == null ? "" : resp.body());
      String shortText = text.length() > 300 ? text.substring(0, 300) + "..." : text;
      int code = resp.statusCode();
      if (code < 200 || code > 299) {
        return new FenceResult(Outcome.FAILED, Optional.empty(), OptionalInt.empty(),
            where + " answered HTTP " + code + " (expected 2xx): " + shortText.strip(), "", took);
      }
      if (action == FenceAction.STATUS) {
        if (params.containsKey("status_off_match") && text.contains(params.get("status_off_match"))) {
          return new FenceResult(Outcome.SUCCESS, Optional.of(Power.OFF), OptionalInt.empty(), "power is off", "", took);
        }
        if (params.containsKey("status_on_match") && text.contains(params.get("status_on_match"))) {
          return new FenceResult(Outcome.SUCCESS, Optional.of(Power.ON), OptionalInt.empty(), "power is on", "", took);
        }
        if (!params.containsKey("status_on_match") && !params.containsKey("status_off_match")) {
          return new FenceResult(Outcome.SUCCESS, Optional.of(Power.ON), OptionalInt.empty(), "reachable (HTTP " + code + ")", "", took);
        }
        return new FenceResult(Outcome.FAILED, Optional.empty(), OptionalInt.empty(),
            where + " answered neither status_on_match nor status_off_match", "", took);
      }
      String match = params.get("success_match");
      if (action != FenceAction.MONITOR && match != null && !text.contains(match)) {
        return new FenceResult(Outcome.FAILED, Optional.empty(), OptionalInt.empty(),
            where + " answered HTTP " + code + " without '" + match + "': " + shortText.strip(), "", took);
      }
      return new FenceResult(Outcome.SUCCESS, Optional.empty(), OptionalInt.empty(), where + " answered HTTP " + code, "", took);
    } catch (HttpTimeoutException e) {
      return new FenceResult(Outcome.TIMEOUT, Optional.empty(), OptionalInt.empty(),
          where + " timed out after " + timeout.toMillis() + " ms", "", Duration.ofNanos(nanos.getAsLong() - start));
    } catch (java.io.IOException e) {
      return FenceResult.failed(where + " failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + secrets.redact(e.getMessage())), Duration.ofNanos(nanos.getAsLong() - start));
    }
  }
}
