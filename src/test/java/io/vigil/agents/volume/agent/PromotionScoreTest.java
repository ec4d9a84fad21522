package io.vigil.agents.volume.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromotionScoreTest {
  private static String status(String role, String disk, String conn) {
    return "vol on b: role " + role + ", disk " + disk + ", connection " + conn + " (peer a Primary/UpToDate)\n  size 32.0 MiB";
  }

  @Test
  void anUpToDateCopyConnectedOrPrimaryScoresHigherThanOneAlone() {
    assertThat(PromotionScore.of(status("Primary", "UpToDate", "Connecting"))).hasValue(PromotionScore.UP_TO_DATE_CONNECTED);
    assertThat(PromotionScore.of(status("Secondary", "UpToDate", "Connected"))).hasValue(PromotionScore.UP_TO_DATE_CONNECTED);
    assertThat(PromotionScore.of(status("Secondary", "UpToDate", "SyncSource"))).hasValue(PromotionScore.UP_TO_DATE_CONNECTED);
    assertThat(PromotionScore.of(status("Secondary", "UpToDate", "Connecting"))).hasValue(PromotionScore.UP_TO_DATE_ALONE);
    assertThat(PromotionScore.of(status("Secondary", "UpToDate", "StandAlone"))).hasValue(PromotionScore.UP_TO_DATE_ALONE);
    assertThat(PromotionScore.UP_TO_DATE_ALONE).isPositive().isLessThan(PromotionScore.UP_TO_DATE_CONNECTED);
  }

  @Test
  void aCopyThatCannotBePromotedGetsNoScore() {
    assertThat(PromotionScore.of(status("Secondary", "Inconsistent", "SyncTarget"))).isEmpty();
    assertThat(PromotionScore.of(status("Secondary", "Outdated", "Connecting"))).isEmpty();
    assertThat(PromotionScore.of(status("Secondary", "Diskless", "Connected"))).isEmpty();
    assertThat(PromotionScore.of("")).isEmpty();
    assertThat(PromotionScore.of("garbage role Tertiary")).isEmpty();
  }

  @Test
  void theAttributeIsThePrimitivesAsCrmMasterNamesIt() {
    assertThat(PromotionScore.attribute("vol")).isEqualTo("master-vol");
    assertThat(PromotionScore.attribute("vol:1")).isEqualTo("master-vol");
    assertThat(PromotionScore.attribute("my:vol")).isEqualTo("master-my:vol");
    assertThat(PromotionScore.attribute("vol")).as("the name the scheduler reads").isEqualTo(io.vigil.status.NodeStatus.promotionScore("vol"));
    assertThat(io.vigil.agents.volume.PeerFencer.markAttribute("vol")).as("the scheduler's promotion veto")
        .isEqualTo(io.vigil.status.NodeStatus.promotionVeto("vol"));
  }
}
