package io.vigil.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Turns YAML text into a node tree that keeps line and column of everything, within limits that
 * keep hostile input cheap: size, nesting depth, aliases (no "billion laughs"), no duplicate keys.
 */
final class YamlSource {
  static final int MAX_CHARS = 8 * 1024 * 1024;
  static final int MAX_DEPTH = 64;
  static final int MAX_ALIASES = 100;

  private YamlSource() {}

  /** The outcome: a root node, or the problem that stopped parsing. */
  record Parsed(Optional<Node> root, Optional<Problem> problem) {}

  static Parsed parse(String text, String file) {
    if (text.length() > MAX_CHARS) {
      return failed(Problem.error(SourcePos.wholeFile(file),
          "file has " + text.length() + " characters, more than the limit of " + MAX_CHARS));
    }
    LoadSettings settings = LoadSettings.builder()
        .setLabel(file)
        .setAllowDuplicateKeys(false)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setCodePointLimit(MAX_CHARS)
        .setUseMarks(true)
        .build();
    try {
      Optional<Problem> tooDeep = checkDepth(settings, text, file);
      if (tooDeep.isPresent()) return failed(tooDeep.get());
      Optional<Node> root = new Compose(settings).composeString(text);
      return new Parsed(root, Optional.empty());
    } catch (org.snakeyaml.engine.v2.exceptions.ReaderException e) {
      return failed(Problem.error(positionOf(text, file, e.getPosition()),
          String.format("character U+%04X is not allowed in YAML text (binary data or a control character?)", e.getCodePoint())));
    } catch (MarkedYamlEngineException e) {
      return failed(Problem.error(SourcePos.of(file, e.getProblemMark()), describe(e)));
    } catch (YamlEngineException e) {
      if (String.valueOf(e.getMessage()).startsWith("Number of aliases")) {
        return failed(Problem.error(SourcePos.wholeFile(file), "uses more than " + MAX_ALIASES
            + " aliases of lists or mappings; refused (such files can expand to billions of entries)"));
      }
      return failed(Problem.error(SourcePos.wholeFile(file), "not valid YAML: " + firstLine(e.getMessage())));
    }
  }

  /** Parses events (iteratively, no recursion) to refuse deep nesting before composing. */
  private static Optional<Problem> checkDepth(LoadSettings settings, String text, String file) {
    int depth = 0;
    for (Event e : new Parse(settings).parseString(text)) {
      switch (e.getEventId()) {
        case MappingStart, SequenceStart -> {
          if (++depth > MAX_DEPTH) {
            return Optional.of(Problem.error(SourcePos.of(file, e.getStartMark()),
                "nesting deeper than " + MAX_DEPTH + " levels; a cluster configuration needs far fewer"));
          }
        }
        case MappingEnd, SequenceEnd -> depth--;
        default -> {}
      }
    }
    return Optional.empty();
  }

  /** Line and column of a code-point offset. */
  private static SourcePos positionOf(String text, String file, int codePointOffset) {
    int line = 1;
    int column = 1;
    int i = 0;
    for (int cp = 0; cp < codePointOffset && i < text.length(); cp++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new SourcePos(file, line, column);
  }

  private static String describe(MarkedYamlEngineException e) {
    String problem = e.getProblem() == null ? "" : e.getProblem();
    String context = e.getContext() == null ? "" : e.getContext();
    if (problem.startsWith("found duplicate key")) {
      return "duplicate key" + problem.substring("found duplicate key".length());
    }
    String text = (context.isEmpty() ? "" : context + ": ") + problem;
    return "not valid YAML: " + firstLine(text);
  }

  private static String firstLine(String s) {
    if (s == null) return "unreadable input";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  private static Parsed failed(Problem p) {
    return new Parsed(Optional.empty(), Optional.of(p));
  }
}
