package io.vigil.status.yaml;

import java.util.List;

/** A status file that cannot be used; every problem is one {@code file:line:column: message} line. */
public final class StatusYamlException extends Exception {
  private final List<String> problems;

  public StatusYamlException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
