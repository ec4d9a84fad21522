package io.vigil.config;

import java.util.ArrayList;
import java.util.List;

/** What a read collects: the problems found so far and the positions of what was read. */
final class ReadContext {
  final String file;
  final List<Problem> problems = new ArrayList<>();
  final SourceMap sources;
  /** Ids of objects that were written but could not be read; references to them are not "unknown". */
  final java.util.Set<String> broken = new java.util.HashSet<>();

  ReadContext(String file) {
    this.file = file;
    this.sources = new SourceMap(file);
  }

  void error(SourcePos pos, String message) {
    problems.add(Problem.error(pos, message));
  }

  void warning(SourcePos pos, String message) {
    problems.add(Problem.warning(pos, message));
  }

  boolean hasErrors() {
    return problems.stream().anyMatch(Problem::isError);
  }
}
