package io.vigil.agents.volume.attach;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Instance parameters of {@code builtin:nbd}, parsed purely: where the export is (a volume on this
 * node, or an {@code nbd+unix} URI), how it is attached ({@link Method}), the device and the stable
 * link to it. Bad values are refused with the parameter's name and what was expected.
 *
 * @param socket the export's unix socket
 * @param exportName the export's name on that socket
 * @param method kernel nbd driver or nbdfuse + loop device
 * @param device the kernel's /dev/nbdN (kernel only; null for loop, which takes a free loop device)
 * @param link a symlink made to point at the attached device (null: none; required for loop)
 */
public record AttachParams(Path socket, String exportName, Method method, Path device, Path link) {

  /** How the export becomes a block device. */
  public enum Method {
    /** The kernel's nbd driver, through nbd-client (nbd-client package, nbd module). */
    KERNEL,
    /** libnbd's nbdfuse shows the export as a file, a loop device makes it a block device. */
    LOOP
  }

  /** One parameter: name, default (null = none) and documentation. */
  public record Key(String name, String defaultValue, String doc) {}

  public static final List<Key> KEYS = List.of(
      new Key("volume", null, "Name of a builtin:volume on this node whose export (its default nbd-socket) is attached; or export."),
      new Key("export", null, "The export as nbd+unix:///NAME?socket=/path/to/socket, instead of volume."),
      new Key("method", "kernel", "kernel (nbd-client and the kernel's nbd driver) or loop (nbdfuse and a loop device, "
          + "for hosts without the nbd module)."),
      new Key("device", null, "kernel: the nbd device to use, /dev/nbdN (required); loop: not used (a free loop device is taken)."),
      new Key("link", null, "Absolute path of a symlink made to point at the attached device (give it to the filesystem resource "
          + "as its device); required with method loop, whose device number is not known in advance."));

  /**
   * Validates {@code raw} and resolves a volume name against {@code volumeStateDir}, where the
   * volume agent keeps its default export sockets.
   */
  public static AttachParams parse(Map<String, String> raw, Path volumeStateDir) {
    for (String k : raw.keySet()) {
      if (KEYS.stream().noneMatch(key -> key.name().equals(k))) {
        throw new IllegalArgumentException("builtin:nbd: unknown parameter '" + k + "'; known: " + KEYS.stream().map(Key::name).toList());
      }
    }
    String volume = blankToNull(raw.get("volume"));
    String export = blankToNull(raw.get("export"));
    if ((volume == null) == (export == null)) {
      throw new IllegalArgumentException("builtin:nbd: give exactly one of volume (a builtin:volume's name) and export (an nbd+unix URI)");
    }
    Path socket;
    String name;
    if (volume != null) {
      if (!volume.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
        throw new IllegalArgumentException("builtin:nbd: volume '" + volume + "' must be a volume name (letters, digits, '.', '_', '-')");
      }
      socket = volumeStateDir.resolve(volume + ".nbd");
      name = volume;
    } else {
      URI u = unixUri(export);
      socket = Path.of(query(u, "socket", export));
      name = u.getPath().length() > 1 ? u.getPath().substring(1) : "";
    }
    Method method = switch (raw.getOrDefault("method", "kernel").strip()) {
      case "kernel" -> Method.KERNEL;
      case "loop" -> Method.LOOP;
      default -> throw new IllegalArgumentException("builtin:nbd: method '" + raw.get("method") + "' must be kernel or loop");
    };
    Path device = absolute("device", blankToNull(raw.get("device")));
    Path link = absolute("link", blankToNull(raw.get("link")));
    if (method == Method.KERNEL) {
      if (device == null || !device.toString().matches("/dev/nbd\\d{1,4}")) {
        throw new IllegalArgumentException("builtin:nbd: method kernel needs device /dev/nbdN, got " + (device == null ? "none" : "'" + device + "'"));
      }
    } else {
      if (device != null) throw new IllegalArgumentException("builtin:nbd: method loop takes a free loop device; drop device '" + device + "'");
      if (link == null) throw new IllegalArgumentException("builtin:nbd: method loop needs link (the loop device's number is only known once attached)");
    }
    if (link != null && link.toString().startsWith("/dev/nbd")) {
      throw new IllegalArgumentException("builtin:nbd: link '" + link + "' would replace a device node; choose a path such as /dev/vigil/NAME");
    }
    return new AttachParams(socket, name, method, device, link);
  }

  /** The export as libnbd's URI (what nbdfuse connects to). */
  public String uri() {
    return "nbd+unix:///" + exportName + "?socket=" + socket;
  }

  private static URI unixUri(String export) {
    try {
      URI u = new URI(export);
      if (!"nbd+unix".equals(u.getScheme())) throw new URISyntaxException(export, "scheme must be nbd+unix");
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("builtin:nbd: export '" + export + "' must be nbd+unix:///NAME?socket=/path (" + e.getReason() + ")");
    }
  }

  private static String query(URI u, String key, String export) {
    String q = u.getRawQuery() == null ? "" : u.getRawQuery();
    for (String part : q.split("&")) {
      if (part.startsWith(key + "=") && part.length() > key.length() + 1) {
        String value = java.net.URLDecoder.decode(part.substring(key.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
        if (value.startsWith("/")) return value;
      }
    }
    throw new IllegalArgumentException("builtin:nbd: export '" + export + "' has no absolute socket=/path");
  }

  private static Path absolute(String key, String value) {
    if (value == null) return null;
    Path p = Path.of(value);
    if (!p.isAbsolute()) throw new IllegalArgumentException("builtin:nbd: " + key + " '" + value + "' must be an absolute path");
    return p.normalize();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
