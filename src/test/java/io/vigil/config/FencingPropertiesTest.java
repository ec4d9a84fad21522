package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.fencing.policy.PolicySettings;
import io.vigil.model.ClusterProperties;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The automatic fencing retry properties: defaults, the stonith- alias, and located errors for bad values. */
class FencingPropertiesTest {
  private static ConfigLoader.Result check(String properties) {
    return new ConfigLoader(AgentCatalog.NONE).check("cluster: t\nproperties: {" + properties + "}\n", "t.yaml");
  }

  private static List<String> errors(String properties) {
    ConfigLoader.Result r = check(properties);
    assertThat(r.valid()).as("valid").isFalse();
    return r.errors().stream().map(Problem::toString).toList();
  }

  @Test
  void defaultsAreFiveSecondsFiveMinutesAndTenAttemptsAsPacemaker() {
    ClusterProperties p = check("").config().orElseThrow().properties();
    assertThat(p.getOrDefault(ClusterProperties.FENCING_RETRY_INITIAL)).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.getOrDefault(ClusterProperties.FENCING_RETRY_MAX)).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.getOrDefault(ClusterProperties.FENCING_MAX_ATTEMPTS)).isEqualTo(10);
    assertThat(PolicySettings.from(p).retryBase()).isEqualTo(PolicySettings.DEFAULTS.retryBase());
    assertThat(PolicySettings.from(p).retryMax()).isEqualTo(PolicySettings.DEFAULTS.retryMax());
  }

  @Test
  void setValuesReachThePolicyAndStonithMaxAttemptsIsAnAlias() {
    ClusterProperties p = check("fencing-retry-initial: 2s, fencing-retry-max: 1min, stonith-max-attempts: 3").config().orElseThrow().properties();
    assertThat(p.values()).containsEntry("fencing-max-attempts", "3").doesNotContainKey("stonith-max-attempts");
    assertThat(p.getOrDefault(ClusterProperties.FENCING_MAX_ATTEMPTS)).isEqualTo(3);
    PolicySettings s = PolicySettings.from(p);
    assertThat(s.backoff(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.backoff(5)).isEqualTo(Duration.ofSeconds(32));
    assertThat(s.backoff(6)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void zeroOrNegativeAttemptsAreRefusedWithWhatIsExpected() {
    assertThat(errors("fencing-max-attempts: 0")).containsExactly(
        "t.yaml:2:36: the configuration: 'fencing-max-attempts' has value '0', expected an integer >= 1");
    assertThat(errors("stonith-max-attempts: many")).singleElement().asString()
        .contains("'fencing-max-attempts' has value 'many', expected an integer >= 1");
  }

  @Test
  void aRetryBelowOneSecondIsRefused() {
    assertThat(errors("fencing-retry-initial: 0s")).containsExactly(
        "t.yaml:2:37: the configuration: 'fencing-retry-initial' has value '0s', expected a duration of at least 1s such as 5s, 2m or 1h");
    assertThat(errors("fencing-retry-max: 200ms")).singleElement().asString()
        .contains("'fencing-retry-max' has value '200ms', expected a duration of at least 1s");
  }

  @Test
  void aCapBelowTheStartIsRefusedAtTheCap() {
    assertThat(errors("fencing-retry-initial: 10m, fencing-retry-max: 2m")).containsExactly(
        "t.yaml:2:42: fencing-retry-max is 2m, below fencing-retry-initial 10m "
            + "(expected fencing-retry-max >= fencing-retry-initial)");
    // with the cap left at its default, the start is what is wrong
    assertThat(errors("fencing-retry-initial: 10m")).singleElement().asString()
        .startsWith("t.yaml:2:14: ").contains("fencing-retry-max is 5m, below fencing-retry-initial 10m");
  }
}
