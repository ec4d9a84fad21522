package io.vigil.exec.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks instance parameters against meta-data: required ones present, no unknown ones. */
public final class ParameterValidator {
  private ParameterValidator() {}

  /**
   * Problems in {@code params} for agent {@code agent} described by {@code meta}: every required
   * parameter without a default that is missing, and every parameter the agent does not declare
   * (with the closest declared name as suggestion). {@code OCF_CHECK_LEVEL} is always allowed.
   */
  public static List<ParameterProblem> validate(String agent, AgentMetadata meta, Map<String, String> params) {
    List<ParameterProblem> out = new ArrayList<>();
    for (ParameterSpec p : meta.parameters()) {
      if (p.required() && !params.containsKey(p.name())) {
        out.add(new ParameterProblem(ParameterProblem.Kind.MISSING_REQUIRED, p.name(),
            "agent " + agent + " requires parameter '" + p.name() + "'"
                + (p.shortDesc().isEmpty() ? "" : " (" + p.shortDesc() + ")"), Optional.empty()));
      }
    }
    for (String name : params.keySet()) {
      if (name.equals("OCF_CHECK_LEVEL") || meta.parameter(name).isPresent()) {
        continue;
      }
      Optional<String> best = suggest(name, meta.parameters().stream().map(ParameterSpec::name).toList());
      out.add(new ParameterProblem(ParameterProblem.Kind.UNKNOWN, name,
          "agent " + agent + " has no parameter '" + name + "'" + best.map(b -> " (did you mean '" + b + "'?)").orElse(""),
          best));
    }
    return out;
  }

  /** The candidate closest to {@code word} by edit distance, if close enough to be a typo. */
  public static Optional<String> suggest(String word, List<String> candidates) {
    return io.vigil.model.Suggest.closest(word, candidates);
  }

  /** Levenshtein distance. */

}
