package io.vigil.agents.providerip;

import com.fasterxml.jackson.core.JsonPointer;
import io.vigil.agents.ip.ConfigKey;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The generic HTTP failover driver's configuration: how to switch (method, URL and body
 * templates, success check) and how to read who holds the address (status URL plus a JSON
 * pointer or regex whose value must be {@code ${self}}).
 */
public record HttpDriverSpec(
    String switchMethod,
    Template switchUrl,
    Template switchBody,
    String contentType,
    StatusSet switchSuccess,
    Optional<JsonPointer> switchPointer,
    Optional<Template> switchValue,
    Template statusUrl,
    Optional<JsonPointer> statusPointer,
    Optional<Template> statusRegex,
    StatusSet retryStatus,
    StatusSet throttleStatus) {

  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  public static final ConfigKey<String> SWITCH_METHOD = new ConfigKey<>("switch-method", Optional.of("POST"),
      "HTTP method of the switch request", s -> {
        String m = s.trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(m)) {
          throw new IllegalArgumentException("'" + s + "' is not one of " + METHODS);
        }
        return m;
      });
  public static final ConfigKey<Template> SWITCH_URL = new ConfigKey<>("switch-url", Optional.empty(),
      "URL template of the switch request (required), e.g. https://api.example/ips/${address}/assign", Template::new);
  public static final ConfigKey<Template> SWITCH_BODY = new ConfigKey<>("switch-body", Optional.of(new Template("")),
      "body template, e.g. {\"server\":\"${self}\"}", Template::new);
  public static final ConfigKey<String> CONTENT_TYPE = new ConfigKey<>("switch-content-type",
      Optional.of("application/json"), "Content-Type of the switch body", s -> s.trim());
  public static final ConfigKey<StatusSet> SWITCH_SUCCESS = new ConfigKey<>("switch-success-status",
      Optional.of(StatusSet.parse("200-299")), "status codes that mean the switch was accepted", StatusSet::parse);
  public static final ConfigKey<JsonPointer> SWITCH_POINTER = new ConfigKey<>("switch-success-pointer",
      Optional.empty(), "optional JSON pointer into the switch reply that must equal switch-success-value",
      HttpDriverSpec::pointer);
  public static final ConfigKey<Template> SWITCH_VALUE = new ConfigKey<>("switch-success-value",
      Optional.of(new Template("${self}")), "expected value at switch-success-pointer", Template::new);
  public static final ConfigKey<Template> STATUS_URL = new ConfigKey<>("status-url", Optional.empty(),
      "URL template read by monitor and after a switch (required)", Template::new);
  public static final ConfigKey<JsonPointer> STATUS_POINTER = new ConfigKey<>("status-pointer", Optional.empty(),
      "JSON pointer to the current holder in the status reply, compared with ${self}", HttpDriverSpec::pointer);
  public static final ConfigKey<Template> STATUS_REGEX = new ConfigKey<>("status-regex", Optional.empty(),
      "alternative to status-pointer: regex (template) that matches the status body when this node holds it",
      s -> {
        Pattern.compile(s.replace("${self}", "x").replace("${address}", "x"));
        return new Template(s);
      });
  public static final ConfigKey<StatusSet> RETRY_STATUS = new ConfigKey<>("retry-status",
      Optional.of(StatusSet.parse("408,409,423,425,429,500-599")), "status codes retried with backoff",
      StatusSet::parse);
  public static final ConfigKey<StatusSet> THROTTLE_STATUS = new ConfigKey<>("throttle-status",
      Optional.of(StatusSet.parse("429")), "status codes that mean rate limited (longer backoff)", StatusSet::parse);

  public static final List<ConfigKey<?>> KEYS = List.of(SWITCH_METHOD, SWITCH_URL, SWITCH_BODY, CONTENT_TYPE,
      SWITCH_SUCCESS, SWITCH_POINTER, SWITCH_VALUE, STATUS_URL, STATUS_POINTER, STATUS_REGEX, RETRY_STATUS,
      THROTTLE_STATUS);

  static JsonPointer pointer(String s) {
    try {
      return JsonPointer.compile(s.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + s + "' is not a JSON pointer (e.g. /floating_ip/server)");
    }
  }
}
