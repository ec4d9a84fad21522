package io.vigil.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** systemd helpers: whether systemd runs here, unit naming, and active-state to OCF rc. */
public final class SystemdUnits {
  private SystemdUnits() {}

  /** Empty when systemd is PID 1, else the reason it is not available here. */
  public static Optional<String> unavailableReason() {
    String comm;
    try {
      comm = Files.readString(Path.of("/proc/1/comm")).strip();
    } catch (IOException e) {
      return Optional.of("systemd is not available here (cannot read /proc/1/comm: " + e.getMessage() + ")");
    }
    if (!comm.equals("systemd")) {
      return Optional.of("systemd is not available here (PID 1 is " + comm + ")");
    }
    if (ProcessRunner.which("systemctl").isEmpty()) {
      return Optional.of("systemd is PID 1 but systemctl is not installed in /usr/bin or /bin");
    }
    return Optional.empty();
  }

  /** {@code nginx} becomes {@code nginx.service}; names with a unit suffix are kept. */
  public static String unitName(String type) {
    return type.matches(".*\\.(service|socket|target|mount|timer|path|scope|slice)") ? type : type + ".service";
  }

  /**
   * OCF rc of a monitor from {@code systemctl is-active} output, as Pacemaker reads ActiveState:
   * active/reloading run, activating/deactivating are in progress (reported as running), the rest
   * (inactive, failed) is not running.
   */
  public static int monitorRc(String activeState) {
    return switch (activeState.strip()) {
      case "active", "reloading", "activating", "deactivating" -> OcfRc.SUCCESS;
      default -> OcfRc.NOT_RUNNING;
    };
  }

  /** Minimal OCF meta-data for a unit, as Pacemaker synthesises it. */
  public static String metadataXml(String unit) {
    String u = unit.replace("&", "&amp;").replace("<", "&lt;");
    return """
        <?xml version="1.0"?>
        <resource-agent name="%s" version="1.0">
          <version>1.1</version>
          <longdesc lang="en">systemd unit file for %s</longdesc>
          <shortdesc lang="en">systemd unit %s</shortdesc>
          <parameters/>
          <actions>
            <action name="start" timeout="100s"/>
            <action name="stop" timeout="100s"/>
            <action name="status" timeout="100s"/>
            <action name="monitor" timeout="100s" interval="60s"/>
            <action name="meta-data" timeout="5s"/>
          </actions>
        </resource-agent>
        """.formatted(u, u, u);
  }
}
