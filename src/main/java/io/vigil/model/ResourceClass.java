package io.vigil.model;

import java.util.Locale;
import java.util.Optional;

/** The standard an agent follows; decides how the executor runs it. */
public enum ResourceClass {
  OCF("ocf", true),
  LSB("lsb", false),
  SYSTEMD("systemd", false),
  SERVICE("service", false),
  STONITH("stonith", false),
  BUILTIN("builtin", false);

  private final String label;
  private final boolean needsProvider;

  ResourceClass(String label, boolean needsProvider) {
    this.label = label;
    this.needsProvider = needsProvider;
  }

  public String label() {
    return label;
  }

  /** Whether agents of this class are named {@code class:provider:type}. */
  public boolean needsProvider() {
    return needsProvider;
  }

  public static Optional<ResourceClass> parse(String text) {
    for (ResourceClass c : values()) {
      if (c.label.equals(text.toLowerCase(Locale.ROOT))) return Optional.of(c);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return label;
  }
}
