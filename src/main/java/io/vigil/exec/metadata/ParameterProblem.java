package io.vigil.exec.metadata;

import java.util.Optional;

/** One problem with a resource's parameters against its agent's meta-data. */
public record ParameterProblem(Kind kind, String parameter, String message, Optional<String> suggestion) {
  /** What is wrong. */
  public enum Kind { MISSING_REQUIRED, UNKNOWN }
}
