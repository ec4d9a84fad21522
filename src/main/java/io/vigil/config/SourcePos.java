package io.vigil.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** A position in a source file, 1-based; line 0 means "the file as a whole". */
public record SourcePos(String file, int line, int column) {

  public static SourcePos of(String file, Optional<Mark> mark) {
    return mark.map(m -> new SourcePos(file, m.getLine() + 1, m.getColumn() + 1))
        .orElseGet(() -> new SourcePos(file, 0, 0));
  }

  public static SourcePos of(String file, Node node) {
    return of(file, node.getStartMark());
  }

  public static SourcePos wholeFile(String file) {
    return new SourcePos(file, 0, 0);
  }
}
