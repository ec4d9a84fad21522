package io.vigil.fencing;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one device action did. {@code message} and {@code output} are already redacted: they never
 * contain a secret value.
 *
 * @param power for status/monitor: the power state the device reported, if any
 * @param exitCode the agent's exit code; empty when it was killed at its timeout or never ran
 * @param output the agent's stdout (list, metadata), truncated
 */
public record FenceResult(
    Outcome outcome, Optional<Power> power, OptionalInt exitCode, String message, String output, Duration duration) {

  /** Whether the action succeeded, failed, or was killed at its timeout (a timeout is a failure). */
  public enum Outcome { SUCCESS, FAILED, TIMEOUT }

  /** Power state as status reports it (fence-agents: exit 0 on, 2 off). */
  public enum Power { ON, OFF }

  public FenceResult {
    Objects.requireNonNull(outcome);
    power = power == null ? Optional.empty() : power;
    exitCode = exitCode == null ? OptionalInt.empty() : exitCode;
    message = message == null ? "" : message;
    output = output == null ? "" : output;
    Objects.requireNonNull(duration);
  }

  public boolean succeeded() {
    return outcome == Outcome.SUCCESS;
  }

  public static FenceResult success(String message, Duration d) {
    return new FenceResult(Outcome.SUCCESS, Optional.empty(), OptionalInt.of(0), message, "", d);
  }

  public static FenceResult failed(String message, Duration d) {
    return new FenceResult(Outcome.FAILED, Optional.empty(), OptionalInt.empty(), message, "", d);
  }

  /** One line for status and history: outcome, power, exit code, message. */
  public String summary() {
    StringBuilder sb = new StringBuilder(outcome.name().toLowerCase(java.util.Locale.ROOT));
    power.ifPresent(p -> sb.append(" (power ").append(p.name().toLowerCase(java.util.Locale.ROOT)).append(')'));
    exitCode.ifPresent(c -> sb.append(" rc=").append(c));
    if (!message.isEmpty()) sb.append(": ").append(message);
    return sb.toString();
  }
}
