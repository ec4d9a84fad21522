package io.vigil.agents.ip;

import java.util.List;

/** Resource parameters that cannot be used; the message lists every problem found, one per clause. */
public final class InvalidParamsException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidParamsException(String resource, List<String> problems) {
    super(resource + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
