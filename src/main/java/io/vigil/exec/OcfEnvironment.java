package io.vigil.exec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the environment Pacemaker's executor gives an OCF agent: OCF_ROOT, the RA API version
 * (1.1), the resource identity, {@code OCF_RESKEY_<param>} for every instance parameter,
 * {@code OCF_RESKEY_CRM_meta_<name>} for meta attributes ('-' becomes '_') plus the action's
 * timeout and interval in milliseconds and its name. {@code OCF_CHECK_LEVEL} is passed unprefixed.
 */
public final class OcfEnvironment {
  public static final String EXIT_REASON_PREFIX = "ocf-exit-reason:";

  private OcfEnvironment() {}

  /** The complete environment (nothing is inherited from Vigil's own environment). */
  public static Map<String, String> build(Invocation inv, ExecConfig config, String nodeName) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", config.path());
    env.put("OCF_ROOT", config.ocfRoot().toString());
    env.put("OCF_RA_VERSION_MAJOR", "1");
    env.put("OCF_RA_VERSION_MINOR", "1");
    env.put("OCF_EXIT_REASON_PREFIX", EXIT_REASON_PREFIX);
    if (config.runDir() != null) {
      env.put("HA_VARRUN", config.runDir() + "/");
      env.put("HA_RSCTMP", config.runDir().resolve("resource-agents").toString());
    }
    if (config.sbinDir() != null) env.put("HA_SBIN_DIR", config.sbinDir().toString());
    env.put("OCF_RESOURCE_INSTANCE", inv.resourceId());
    env.put("OCF_RESOURCE_TYPE", inv.agent().type());
    if (inv.agent().provider() != null) {
      env.put("OCF_RESOURCE_PROVIDER", inv.agent().provider());
    }
    inv.params().forEach((k, v) ->
        env.put(k.equals("OCF_CHECK_LEVEL") ? k : "OCF_RESKEY_" + k, v));
    Map<String, String> meta = new LinkedHashMap<>();
    if (nodeName != null && !nodeName.isEmpty()) {
      meta.put("on_node", nodeName);
    }
    inv.meta().forEach((k, v) -> meta.put(k.replace('-', '_'), v));
    // Computed from the invocation itself, so they always match what the runner enforces.
    meta.put("name", inv.action());
    meta.put("timeout", Long.toString(inv.timeout().toMillis()));
    meta.put("interval", Long.toString(inv.interval().toMillis()));
    meta.forEach((k, v) -> env.put("OCF_RESKEY_CRM_meta_" + k, v));
    return env;
  }

  /** The environment of LSB scripts and systemctl: only PATH, like init would give them. */
  public static Map<String, String> plain(ExecConfig config) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", config.path());
    return env;
  }
}
