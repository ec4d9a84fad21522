package io.vigil.model;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One typed, documented key of an attribute set (resource meta, cluster property, operation
 * default): its name, what it accepts, its default and what it means. Values are kept as
 * canonical text, so equal settings compare equal however the operator spelled them.
 *
 * @param expected what the value must look like, for error messages ("a duration such as 20s")
 * @param defaultValue canonical default text, or empty when the key has no default
 */
public record AttributeKey<T>(
    String name,
    String expected,
    Function<String, T> parser,
    Function<T, String> printer,
    Optional<String> defaultValue,
    String doc) {

  public AttributeKey {
    Objects.requireNonNull(name);
    Objects.requireNonNull(parser);
    Objects.requireNonNull(printer);
    Objects.requireNonNull(defaultValue);
    Objects.requireNonNull(doc);
  }

  /** The typed value of {@code raw}; throws IllegalArgumentException naming the key and expectation. */
  public T parse(String raw) {
    try {
      T value = parser.apply(raw);
      if (value == null) throw new IllegalArgumentException("unrecognised value");
      return value;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + name + "' has value '" + raw + "', expected " + expected, e);
    }
  }

  /** The canonical text of {@code raw} (e.g. {@code yes} becomes {@code true}). */
  public String canonical(String raw) {
    return printer.apply(parse(raw));
  }

  public static AttributeKey<Boolean> bool(String name, Boolean dflt, String doc) {
    return new AttributeKey<>(name, "true or false", AttributeKey::parseBoolean, String::valueOf,
        Optional.ofNullable(dflt).map(String::valueOf), doc);
  }

  public static AttributeKey<Score> score(String name, String dflt, String doc) {
    return new AttributeKey<>(name, "an integer, INFINITY or -INFINITY", Score::parse, Score::toString,
        Optional.ofNullable(dflt), doc);
  }

  public static AttributeKey<Duration> duration(String name, String dflt, String doc) {
    return new AttributeKey<>(name, "a duration such as 500ms, 20s, 5m or 1h", Durations::parse,
        Durations::format, Optional.ofNullable(dflt), doc);
  }

  /** A duration of at least {@code min} (a retry interval of 0 would retry in a busy loop). */
  public static AttributeKey<Duration> durationAtLeast(String name, Duration min, String dflt, String doc) {
    return new AttributeKey<>(name, "a duration of at least " + Durations.format(min) + " such as 5s, 2m or 1h", s -> {
      Duration d = Durations.parse(s);
      if (d.compareTo(min) < 0) throw new IllegalArgumentException("below " + Durations.format(min));
      return d;
    }, Durations::format, Optional.ofNullable(dflt), doc);
  }

  public static AttributeKey<Integer> integer(String name, int min, String dflt, String doc) {
    return new AttributeKey<>(name, "an integer >= " + min, s -> {
      int v = Integer.parseInt(s.strip());
      if (v < min) throw new IllegalArgumentException("below " + min);
      return v;
    }, String::valueOf, Optional.ofNullable(dflt), doc);
  }

  public static AttributeKey<String> choice(String name, String dflt, String doc, String... values) {
    List<String> allowed = Arrays.asList(values);
    return new AttributeKey<>(name, "one of " + String.join(", ", values), s -> {
      String v = s.strip();
      for (String a : allowed) {
        if (a.equalsIgnoreCase(v)) return a;
      }
      throw new IllegalArgumentException("not allowed");
    }, Function.identity(), Optional.ofNullable(dflt), doc);
  }

  public static AttributeKey<String> text(String name, String dflt, String doc) {
    return new AttributeKey<>(name, "text", s -> s, Function.identity(), Optional.ofNullable(dflt), doc);
  }

  public static AttributeKey<Role> role(String name, String dflt, String doc) {
    return new AttributeKey<>(name, "one of Stopped, Started, Unpromoted, Promoted",
        s -> Role.parse(s).orElseThrow(() -> new IllegalArgumentException("not a role")), Role::label,
        Optional.ofNullable(dflt), doc);
  }

  /** Pacemaker's boolean spellings: true/false, yes/no, on/off, y/n, 1/0. */
  public static Boolean parseBoolean(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "y", "1" -> Boolean.TRUE;
      case "false", "no", "off", "n", "0" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException("not a boolean");
    };
  }
}
