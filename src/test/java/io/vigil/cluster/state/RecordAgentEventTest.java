package io.vigil.cluster.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** An agent's observation (a balancer's real server down) goes to the history and nowhere else. */
class RecordAgentEventTest {
  private final ClusterState empty = ClusterState.initial("c");

  @Test
  void agentEventIsAHistoryEntryOfKindAgentAndChangesNothingElse() {
    Command c = new Command.RecordAgentEvent("alpha", "web-lb", "web: real server 10.0.0.2:80 down (remove): refused", "node:alpha", 42);
    Apply.Outcome o = Apply.apply(empty, c);
    assertThat(o.result().accepted()).isTrue();
    Event e = o.state().history().events().getLast();
    assertThat(e).extracting(Event::kind, Event::node, Event::resource, Event::author, Event::timeMillis)
        .containsExactly(Event.Kind.AGENT, "alpha", "web-lb", "node:alpha", 42L);
    assertThat(e.text()).isEqualTo("web: real server 10.0.0.2:80 down (remove): refused");
    assertThat(o.state().status()).isEqualTo(empty.status());
    assertThat(o.state().epoch()).isEqualTo(empty.epoch());
  }

  @Test
  void survivesTheLogCodec() {
    Command c = new Command.RecordAgentEvent("alpha", "web-lb", "up", "node:alpha", 1);
    assertThat(Codec.decodeCommand(Codec.encode(c)).value()).isEqualTo(c);
  }

  @Test
  void overlongTextIsRefused() {
    assertThatThrownBy(() -> new Command.RecordAgentEvent("a", "r", "x".repeat(Command.RecordAgentEvent.MAX_TEXT + 1), "node:a", 1))
        .hasMessageContaining("expected <= 2000");
  }
}
