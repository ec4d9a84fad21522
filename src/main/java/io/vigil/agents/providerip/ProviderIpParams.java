package io.vigil.agents.providerip;

import io.vigil.agents.ip.Addresses;
import io.vigil.agents.ip.ConfigKey;
import io.vigil.agents.ip.InvalidParamsException;
import io.vigil.agents.providerip.ProviderIpConfigKeys.Driver;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Validated parameters of one {@code provider-ip} resource; built only by {@link #parse}. */
public record ProviderIpParams(
    Driver driver,
    String address,
    String self,
    Optional<Path> credentialsFile,
    Credentials.Kind auth,
    URI apiUrl,
    Duration timeout,
    Duration monitorTimeout,
    Duration backoffInitial,
    Duration backoffMax,
    Duration rateLimitBackoff,
    Path stateDir,
    Optional<HttpDriverSpec> http) {

  /** Parses raw parameters; every problem is listed in one {@link InvalidParamsException}. */
  public static ProviderIpParams parse(String resource, Map<String, String> raw) {
    ParamReader r = new ParamReader(raw);
    Driver driver = r.value(ProviderIpConfigKeys.DRIVER);
    List<ConfigKey<?>> known = new ArrayList<>(ProviderIpConfigKeys.ALL);
    if (driver == Driver.HTTP) {
      known.addAll(HttpDriverSpec.KEYS);
    }
    r.rejectUnknown(known);
    Optional<String> address = r.required(ProviderIpConfigKeys.ADDRESS, "the failover address");
    Optional<String> self = r.required(ProviderIpConfigKeys.SELF, "what the provider calls this node");
    Optional<Path> creds = driver == Driver.HETZNER_ROBOT
        ? r.required(ProviderIpConfigKeys.CREDENTIALS_FILE, "Robot webservice USER:PASSWORD, mode 0600")
        : r.optional(ProviderIpConfigKeys.CREDENTIALS_FILE);
    if (driver == Driver.HETZNER_ROBOT) {
      address.ifPresent(a -> literal(r, "address", a));
      self.ifPresent(s -> literal(r, "self", s));
    }
    Duration backoffInitial = r.value(ProviderIpConfigKeys.BACKOFF_INITIAL);
    Duration backoffMax = r.value(ProviderIpConfigKeys.BACKOFF_MAX);
    if (backoffInitial != null && backoffMax != null && backoffMax.compareTo(backoffInitial) < 0) {
      r.problems.add("backoff-max is shorter than backoff-initial");
    }
    Optional<HttpDriverSpec> http = driver == Driver.HTTP ? httpSpec(r) : Optional.empty();
    ProviderIpParams p = new ProviderIpParams(driver, address.orElse(null), self.orElse(null), creds,
        r.value(ProviderIpConfigKeys.AUTH), r.value(ProviderIpConfigKeys.API_URL),
        r.value(ProviderIpConfigKeys.TIMEOUT), r.value(ProviderIpConfigKeys.MONITOR_TIMEOUT),
        backoffInitial, backoffMax, r.value(ProviderIpConfigKeys.RATE_LIMIT_BACKOFF),
        r.value(ProviderIpConfigKeys.STATE_DIR), http);
    if (!r.problems.isEmpty()) {
      throw new InvalidParamsException("provider-ip resource '" + resource + "'", r.problems);
    }
    return p;
  }

  private static void literal(ParamReader r, String name, String value) {
    try {
      Addresses.parse(value);
      if (value.contains("/")) {
        r.problems.add(name + ": '" + value + "' must be a plain address without /prefix");
      }
    } catch (IllegalArgumentException e) {
      r.problems.add(name + ": " + e.getMessage());
    }
  }

  private static Optional<HttpDriverSpec> httpSpec(ParamReader r) {
    Optional<Template> switchUrl = r.required(HttpDriverSpec.SWITCH_URL, "URL template of the switch request");
    Optional<Template> statusUrl = r.required(HttpDriverSpec.STATUS_URL, "URL template of the status request");
    var pointer = r.optional(HttpDriverSpec.STATUS_POINTER);
    var regex = r.optional(HttpDriverSpec.STATUS_REGEX);
    if (pointer.isEmpty() == regex.isEmpty()) {
      r.problems.add("give exactly one of status-pointer or status-regex (how to tell this node holds the address)");
    }
    switchUrl.ifPresent(t -> requireUrl(r, "switch-url", t));
    statusUrl.ifPresent(t -> requireUrl(r, "status-url", t));
    if (switchUrl.isEmpty() || statusUrl.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HttpDriverSpec(r.value(HttpDriverSpec.SWITCH_METHOD), switchUrl.get(),
        r.value(HttpDriverSpec.SWITCH_BODY), r.value(HttpDriverSpec.CONTENT_TYPE),
        r.value(HttpDriverSpec.SWITCH_SUCCESS), r.optional(HttpDriverSpec.SWITCH_POINTER),
        Optional.of(r.value(HttpDriverSpec.SWITCH_VALUE)), statusUrl.get(), pointer, regex,
        r.value(HttpDriverSpec.RETRY_STATUS), r.value(HttpDriverSpec.THROTTLE_STATUS)));
  }

  /** A URL template must give an http(s) URL for any valid address/self token. */
  private static void requireUrl(ParamReader r, String name, Template t) {
    String sample = t.expand(Map.of("address", "a-1", "self", "s-1"));
    try {
      ProviderIpConfigKeys.httpUri(sample);
    } catch (IllegalArgumentException e) {
      r.problems.add(name + ": " + e.getMessage());
    }
  }

  /** "203.0.113.60 -> 198.51.100.10 (hetzner-robot)" for messages. */
  public String describe() {
    return address + " -> " + self + " (" + driver.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")";
  }
}
