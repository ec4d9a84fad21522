package io.vigil.config;

import java.util.Objects;

/**
 * One thing wrong (or worth a warning) in a configuration, with where it is.
 *
 * @param line 1-based, 0 when unknown
 * @param column 1-based, 0 when unknown
 */
public record Problem(Severity severity, String file, int line, int column, String message) {

  /** Errors make a configuration invalid; warnings do not. */
  public enum Severity {
    ERROR, WARNING
  }

  public Problem {
    Objects.requireNonNull(severity);
    Objects.requireNonNull(file);
    Objects.requireNonNull(message);
  }

  public static Problem error(SourcePos pos, String message) {
    return new Problem(Severity.ERROR, pos.file(), pos.line(), pos.column(), message);
  }

  public static Problem warning(SourcePos pos, String message) {
    return new Problem(Severity.WARNING, pos.file(), pos.line(), pos.column(), message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code cluster.yaml:14:9: message}, with "warning: " before warnings. */
  @Override
  public String toString() {
    String where = line > 0 ? file + ":" + line + ":" + column : file;
    return where + ": " + (severity == Severity.WARNING ? "warning: " : "") + message;
  }
}
