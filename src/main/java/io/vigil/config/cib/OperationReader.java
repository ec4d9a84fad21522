package io.vigil.config.cib;

import io.vigil.model.AttributeKey;
import io.vigil.model.Durations;
import io.vigil.model.OnFail;
import io.vigil.model.Operation;
import io.vigil.model.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/** Converts a resource's {@code <operations>} (including op meta and instance attributes). */
final class OperationReader {
  private static final Set<String> TYPED = Set.of("name", "interval", "timeout", "role", "on-fail", "start-delay", "enabled");
  private static final Set<String> IGNORED = Set.of("id", "id-ref", "description");

  private final CibContext ctx;
  private final AttributeSets sets;

  OperationReader(CibContext ctx, AttributeSets sets) {
    this.ctx = ctx;
    this.sets = sets;
  }

  /** The operations of {@code resource} (a primitive or template); {@code owner} names it in notes. */
  List<Operation> read(Element resource, String owner) {
    List<Operation> out = new ArrayList<>();
    for (Element ops : ctx.children(resource, "operations")) {
      for (Element c : CibContext.children(ops)) {
        if (!c.getTagName().equals("op")) {
          ctx.skip(c, "unexpected <" + c.getTagName() + "> in operations (expected op)");
          continue;
        }
        ctx.resolve(c).flatMap(op -> operation(op, owner)).ifPresent(out::add);
      }
    }
    return out;
  }

  private Optional<Operation> operation(Element op, String owner) {
    // Attributes on <op> win over the same names in its meta_attributes, as in Pacemaker.
    Map<String, String> attrs = new LinkedHashMap<>(sets.read(op, "meta_attributes"));
    var list = op.getAttributes();
    for (int i = 0; i < list.getLength(); i++) {
      attrs.put(list.item(i).getNodeName(), list.item(i).getNodeValue());
    }
    IGNORED.forEach(attrs::remove);
    String name = attrs.getOrDefault("name", "");
    String where = owner + " op '" + (name.isEmpty() ? op.getAttribute("id") : name) + "'";
    if (name.isEmpty()) {
      ctx.skip(where, "operation without a name");
      return Optional.empty();
    }
    Duration interval;
    try {
      interval = PacemakerDurations.parse(attrs.getOrDefault("interval", "0"));
    } catch (IllegalArgumentException e) {
      ctx.skip(where, "interval: " + e.getMessage());
      return Optional.empty();
    }
    where = owner + " op '" + name + "' interval " + Durations.format(interval);
    Optional<Duration> timeout = duration(attrs.get("timeout"), where, "timeout");
    Optional<Duration> startDelay = duration(attrs.get("start-delay"), where, "start-delay");
    Optional<Role> role = Optional.empty();
    if (attrs.containsKey("role")) {
      role = Role.parse(attrs.get("role"));
      if (role.isEmpty()) {
        // A monitor for an unknown role would run in every role: refuse rather than widen it.
        ctx.skip(where, "role '" + attrs.get("role") + "' is not a role (expected Stopped, Started, Unpromoted or Promoted)");
        return Optional.empty();
      }
    }
    Optional<OnFail> onFail = Optional.empty();
    if (attrs.containsKey("on-fail")) {
      onFail = OnFail.parse(attrs.get("on-fail"));
      if (onFail.isEmpty()) {
        ctx.skip(where + " on-fail", "value '" + attrs.get("on-fail")
            + "' is not accepted (expected ignore, block, stop, restart, standby, fence, demote or restart-container)");
      }
    }
    boolean enabled = true;
    if (attrs.containsKey("enabled")) {
      try {
        enabled = AttributeKey.parseBoolean(attrs.get("enabled"));
      } catch (IllegalArgumentException e) {
        ctx.skip(where + " enabled", "value '" + attrs.get("enabled") + "' is not accepted (expected true or false)");
      }
    }
    Map<String, String> extra = new LinkedHashMap<>();
    attrs.forEach((k, v) -> {
      if (!TYPED.contains(k)) extra.put(k, v);
    });
    sets.read(op, "instance_attributes").forEach(extra::putIfAbsent);
    try {
      return Optional.of(new Operation(name, interval, timeout, role, onFail, startDelay, enabled, extra));
    } catch (IllegalArgumentException e) {
      ctx.skip(where, e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<Duration> duration(String text, String where, String what) {
    if (text == null) return Optional.empty();
    try {
      return Optional.of(PacemakerDurations.parse(text));
    } catch (IllegalArgumentException e) {
      ctx.skip(where + " " + what, e.getMessage());
      return Optional.empty();
    }
  }
}
