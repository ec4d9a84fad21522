package io.vigil.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration was refused; carries every problem found, each located. */
public final class ConfigException extends Exception {
  private final List<Problem> problems;

  public ConfigException(List<Problem> problems) {
    super(problems.stream().filter(Problem::isError).map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
