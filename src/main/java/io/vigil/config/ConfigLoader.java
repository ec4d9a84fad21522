package io.vigil.config;

import io.vigil.model.ClusterConfig;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads {@code cluster.yaml}: parse, build, check. Either a whole valid model or every problem
 * at once; never part of a configuration.
 */
public final class ConfigLoader {
  private final AgentCatalog agents;

  public ConfigLoader(AgentCatalog agents) {
    this.agents = agents;
  }

  /** The result of a check: the model when there were no errors, and all problems (incl. warnings). */
  public record Result(Optional<ClusterConfig> config, List<Problem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean valid() {
      return config.isPresent();
    }

    public List<Problem> errors() {
      return problems.stream().filter(Problem::isError).toList();
    }

    public List<Problem> warnings() {
      return problems.stream().filter(p -> !p.isError()).toList();
    }
  }

  /** Reads and checks a file; I/O and encoding problems become located problems too. */
  public Result check(Path file) {
    String name = file.toString();
    try {
      if (Files.isDirectory(file)) return failed(name, "is a directory, expected a YAML file");
      long size = Files.size(file);
      if (size > YamlSource.MAX_CHARS) {
        return failed(name, "is " + size + " bytes, more than the limit of " + YamlSource.MAX_CHARS);
      }
      byte[] bytes = Files.readAllBytes(file);
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      return check(text, name);
    } catch (CharacterCodingException e) {
      return failed(name, "is not UTF-8 text (is it a binary file?)");
    } catch (java.nio.file.NoSuchFileException e) {
      return failed(name, "no such file");
    } catch (IOException e) {
      return failed(name, "cannot be read: " + e.getMessage());
    }
  }

  /** Checks YAML text; {@code file} names it in messages. */
  public Result check(String text, String file) {
    YamlSource.Parsed parsed = YamlSource.parse(text, file);
    if (parsed.problem().isPresent()) return new Result(Optional.empty(), List.of(parsed.problem().get()));
    if (parsed.root().isEmpty()) return failed(file, "is empty (expected at least 'cluster: NAME')");
    ReadContext ctx = new ReadContext(file);
    Optional<ClusterConfig> config;
    try {
      config = new ConfigReader(ctx).read(parsed.root().get());
    } catch (IllegalArgumentException e) {
      // A model invariant the reader did not pre-check; still a located, clean refusal.
      ctx.error(SourcePos.wholeFile(file), e.getMessage());
      config = Optional.empty();
    }
    if (config.isPresent()) {
      new ConfigChecker(config.get(), ctx, agents).check();
    }
    List<Problem> problems = new ArrayList<>(ctx.problems);
    problems.sort(java.util.Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    return new Result(ctx.hasErrors() ? Optional.empty() : config, problems);
  }

  /** Loads a file or throws with every problem. */
  public ClusterConfig load(Path file) throws ConfigException {
    Result r = check(file);
    if (!r.valid()) throw new ConfigException(r.problems());
    return r.config().orElseThrow();
  }

  private static Result failed(String file, String message) {
    return new Result(Optional.empty(), List.of(Problem.error(SourcePos.wholeFile(file), message)));
  }
}
