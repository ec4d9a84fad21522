package io.vigil.fencing.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a device's {@code secret-params} (parameter name to file path) and redacts their values out of any
 * text that leaves the process (agent output, error messages, history).
 */
public final class Secrets {
  private static final long MAX_BYTES = 64 * 1024;
  static final String MASK = "******";
  private final Map<String, Secret> byParam;

  private Secrets(Map<String, Secret> byParam) {
    this.byParam = Map.copyOf(byParam);
  }

  public static final Secrets NONE = new Secrets(Map.of());

  /**
   * Reads every file; one trailing newline is dropped (as {@code echo > file} leaves one).
   *
   * @throws IllegalArgumentException naming the device, parameter and path (never the content)
   */
  public static Secrets read(String deviceId, Map<String, String> paramToPath) {
    Map<String, Secret> out = new LinkedHashMap<>();
    for (var e : paramToPath.entrySet()) {
      Path p = Path.of(e.getValue());
      String where = "fence device '" + deviceId + "': secret parameter '" + e.getKey() + "' file " + p;
      try {
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException(where + " does not exist or is not a file");
        if (Files.size(p) > MAX_BYTES) throw new IllegalArgumentException(where + " is larger than 64 KiB");
        String text = Files.readString(p, StandardCharsets.UTF_8);
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
        if (text.contains("\n")) throw new IllegalArgumentException(where + " has more than one line (expected the secret alone)");
        if (text.isEmpty()) throw new IllegalArgumentException(where + " is empty");
        out.put(e.getKey(), new Secret(text));
      } catch (IOException ex) {
        throw new IllegalArgumentException(where + " cannot be read: " + ex.getClass().getSimpleName(), ex);
      }
    }
    return new Secrets(out);
  }

  /** Secrets given directly; for tests and the HTTP device's token. */
  public static Secrets of(Map<String, String> values) {
    Map<String, Secret> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, new Secret(v)));
    return new Secrets(out);
  }

  public Map<String, Secret> byParam() {
    return byParam;
  }

  public java.util.Optional<Secret> get(String param) {
    return java.util.Optional.ofNullable(byParam.get(param));
  }

  /** {@code text} with every secret value replaced by {@value #MASK}. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) return text;
    String out = text;
    for (Secret s : values()) {
      if (!s.reveal().isEmpty()) out = out.replace(s.reveal(), MASK);
    }
    return out;
  }

  private Collection<Secret> values() {
    return byParam.values();
  }

  @Override
  public String toString() {
    return "Secrets" + byParam.keySet();
  }
}
