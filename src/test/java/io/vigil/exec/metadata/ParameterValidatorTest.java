package io.vigil.exec.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParameterValidatorTest {
  private final AgentMetadata meta;

  ParameterValidatorTest() throws MetadataException {
    meta = MetadataParser.parse("ocf:heartbeat:Dummy", MetadataParserTest.DUMMY);
  }

  @Test
  void reportsMissingRequiredParameters() {
    List<ParameterProblem> problems = ParameterValidator.validate("ocf:heartbeat:Dummy", meta, Map.of());
    assertThat(problems).containsExactly(new ParameterProblem(ParameterProblem.Kind.MISSING_REQUIRED, "ip",
        "agent ocf:heartbeat:Dummy requires parameter 'ip' (IP address)", Optional.empty()));
  }

  @Test
  void suggestsTheClosestNameForATypo() {
    List<ParameterProblem> problems = ParameterValidator.validate("ocf:heartbeat:Dummy", meta,
        Map.of("ip", "10.0.0.1", "stat", "/x"));
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo(ParameterProblem.Kind.UNKNOWN);
      assertThat(p.message()).isEqualTo("agent ocf:heartbeat:Dummy has no parameter 'stat' (did you mean 'state'?)");
      assertThat(p.suggestion()).contains("state");
    });
  }

  @Test
  void noSuggestionWhenNothingIsClose() {
    List<ParameterProblem> problems = ParameterValidator.validate("ocf:heartbeat:Dummy", meta,
        Map.of("ip", "1", "completely_different", "x"));
    assertThat(problems).singleElement().extracting(ParameterProblem::suggestion).isEqualTo(Optional.empty());
  }

  @Test
  void validParametersHaveNoProblems() {
    assertThat(ParameterValidator.validate("a", meta, Map.of("ip", "1", "state", "/x", "OCF_CHECK_LEVEL", "10"))).isEmpty();
  }

  @Test
  void suggestsTheClosestDeclaredName() {
    assertThat(ParameterValidator.suggest("stat", java.util.List.of("ip", "state"))).contains("state");
    assertThat(ParameterValidator.suggest("zzzzzz", java.util.List.of("ip", "state"))).isEmpty();
  }
}
