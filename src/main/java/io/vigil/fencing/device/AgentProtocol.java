package io.vigil.fencing.device;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.FenceResult.Outcome;
import io.vigil.fencing.FenceResult.Power;
import io.vigil.fencing.FencingKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The fence-agents calling convention, pure: what goes on stdin, and what an exit code means.
 * Exit codes (fence-agents, FenceAgentAPI): 0 success; for status 0 = on, 2 = off, 1 = error/unreachable;
 * anything else, and a timeout, is a failure.
 */
public final class AgentProtocol {
  private AgentProtocol() {}

  /**
   * The stdin lines: {@code action=}, {@code plug=} (mapped port; the name is pcmk_host_argument) and
   * {@code nodename=} for node actions,
   * then the device's parameters (without pcmk_*, sorted), then the secrets. Values must be one line each.
   *
   * @throws IllegalArgumentException naming the parameter (never a secret's value) when a value spans lines
   */
  public static byte[] stdin(FenceAction action, String node, String port, Map<String, String> params, Secrets secrets) {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("action", action.wire());
    String hostArgument = params.getOrDefault(FencingKeys.HOST_ARGUMENT.name(), "plug").strip();
    if (node != null && needsNode(action)) {
      if (!hostArgument.equals("none")) lines.put(hostArgument, port);
      lines.putIfAbsent("nodename", node);
    }
    new java.util.TreeMap<>(params).forEach((k, v) -> {
      if (!FencingKeys.isVigilParam(k) && !k.equals("action")) lines.put(k, v);
    });
    StringBuilder sb = new StringBuilder();
    for (var e : lines.entrySet()) {
      checkLine(e.getKey(), e.getValue(), false);
      sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    for (var e : new java.util.TreeMap<>(secrets.byParam()).entrySet()) {
      checkLine(e.getKey(), e.getValue().reveal(), true);
      sb.append(e.getKey()).append('=').append(e.getValue().reveal()).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean needsNode(FenceAction a) {
    return a == FenceAction.ON || a == FenceAction.OFF || a == FenceAction.REBOOT || a == FenceAction.STATUS;
  }

  private static void checkLine(String key, String value, boolean secret) {
    if (!key.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("parameter name '" + key + "' has characters outside [A-Za-z0-9_-]");
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("parameter '" + key + "'" + (secret ? " (secret)" : "")
          + " contains a line break or NUL; agents read one key=value per line");
    }
  }

  /** Interprets a finished (or killed) agent run for {@code action}; text is redacted with {@code secrets}. */
  public static FenceResult interpret(FenceAction action, ProcessRunner.Outcome o, Secrets secrets) {
    String out = secrets.redact(o.stdout());
    String err = lastLines(secrets.redact(o.stderr()));
    if (o.timedOut()) {
      return new FenceResult(Outcome.TIMEOUT, Optional.empty(), OptionalInt.empty(),
          "timed out after " + o.duration().toMillis() + " ms; process group killed", out, o.duration());
    }
    int rc = o.exitCode().orElse(-1);
    OptionalInt code = OptionalInt.of(rc);
    if (action == FenceAction.STATUS) {
      return switch (rc) {
        case 0 -> new FenceResult(Outcome.SUCCESS, Optional.of(Power.ON), code, "power is on", out, o.duration());
        case 2 -> new FenceResult(Outcome.SUCCESS, Optional.of(Power.OFF), code, "power is off", out, o.duration());
        case 1 -> new FenceResult(Outcome.FAILED, Optional.empty(), code,
            "device unreachable or status unknown" + detail(err), out, o.duration());
        default -> new FenceResult(Outcome.FAILED, Optional.empty(), code,
            "unexpected exit code " + rc + " for status (expected 0 on, 2 off, 1 unreachable)" + detail(err), out,
            o.duration());
      };
    }
    if (rc == 0) return new FenceResult(Outcome.SUCCESS, Optional.empty(), code, action.wire() + " succeeded", out, o.duration());
    String what = rc == 127 ? "agent could not be started" : action.wire() + " failed with exit code " + rc;
    return new FenceResult(Outcome.FAILED, Optional.empty(), code, what + detail(err), out, o.duration());
  }

  private static String detail(String err) {
    return err.isBlank() ? "" : " (" + err + ")";
  }

  /** The last few meaningful stderr lines, bounded, without Python deprecation noise. */
  private static String lastLines(String err) {
    List<String> keep = new ArrayList<>();
    for (String l : err.split("\n")) {
      String s = l.strip();
      if (s.isEmpty() || s.contains("DeprecationWarning") || s.startsWith("from ") || s.startsWith("import ")) continue;
      keep.add(s);
    }
    List<String> tail = keep.subList(Math.max(0, keep.size() - 3), keep.size());
    String joined = String.join(" | ", tail).replaceAll("\\p{Cntrl}", "?");
    return joined.length() > 500 ? joined.substring(0, 500) + "..." : joined;
  }

  /** Ports from a {@code list} action's output: one per line, "port,alias" or "port". */
  public static List<String> parseList(String stdout) {
    List<String> ports = new ArrayList<>();
    for (String l : stdout.split("\n")) {
      String s = l.strip();
      if (s.isEmpty()) continue;
      int comma = s.indexOf(',');
      ports.add(comma >= 0 ? s.substring(0, comma).strip() : s);
    }
    return ports;
  }
}
