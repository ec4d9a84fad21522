package io.vigil.cluster.state;

/**
 * What applying a command answered. A rejected command changed nothing; {@code message} says
 * what was wrong and what was expected.
 *
 * @param epoch the configuration epoch after the command
 */
public record Result(boolean accepted, String message, long epoch) {
  public Result {
    message = Sorted.text(message);
  }

  public static Result ok(String message, long epoch) {
    return new Result(true, message, epoch);
  }

  public static Result rejected(String message, long epoch) {
    return new Result(false, message, epoch);
  }
}
