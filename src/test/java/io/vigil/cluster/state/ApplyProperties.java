package io.vigil.cluster.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties every replica relies on: apply is a deterministic, bounded function of the log. */
class ApplyProperties {

  @Provide
  Arbitrary<List<Command>> logs() {
    return Commands.any().list().ofMaxSize(80);
  }

  @Property(tries = 300)
  void applyingTheSameLogTwiceGivesEqualStatesAndResults(@ForAll("logs") List<Command> log) {
    ClusterState a = ClusterState.initial("c");
    ClusterState b = ClusterState.initial("c");
    for (Command c : log) {
      Apply.Outcome x = Apply.apply(a, c);
      Apply.Outcome y = Apply.apply(b, c);
      assertThat(x).isEqualTo(y);
      a = x.state();
      b = y.state();
    }
    assertThat(Codec.encode(a)).isEqualTo(Codec.encode(b));
  }

  @Property(tries = 300)
  void epochNeverDecreasesAndGrowsOnlyWithAcceptedConfigChanges(@ForAll("logs") List<Command> log) {
    ClusterState s = ClusterState.initial("c");
    for (Command c : log) {
      Apply.Outcome o = Apply.apply(s, c);
      boolean configChange = c instanceof Command.ApplyConfig && o.result().accepted();
      assertThat(o.state().epoch()).isEqualTo(s.epoch() + (configChange ? 1 : 0));
      assertThat(o.result().epoch()).isEqualTo(o.state().epoch());
      if (!o.result().accepted()) assertThat(o.state()).isSameAs(s);
      s = o.state();
    }
  }

  @Property(tries = 300)
  void historyNeverExceedsItsCapAndSequenceNumbersIncrease(@ForAll("logs") List<Command> log) {
    ClusterState s = Apply.apply(ClusterState.initial("c"), new Command.SetHistoryCap(5, "root", 0)).state();
    for (Command c : log) {
      s = Apply.apply(s, c).state();
      assertThat(s.history().events()).hasSizeLessThanOrEqualTo(s.history().cap());
      List<Long> seqs = s.history().events().stream().map(Event::seq).toList();
      assertThat(seqs).isSorted().doesNotHaveDuplicates();
      if (!seqs.isEmpty()) assertThat(seqs.getLast()).isEqualTo(s.history().nextSeq() - 1);
    }
  }

  @Property(tries = 200)
  void replayingTheEncodedLogGivesTheSameState(@ForAll("logs") List<Command> log) {
    List<byte[]> encoded = new ArrayList<>();
    for (Command c : log) encoded.add(Codec.encode(c));
    List<Command> decoded = new ArrayList<>();
    for (byte[] b : encoded) {
      Codec.Decoded<Command> d = Codec.decodeCommand(b);
      assertThat(d.error()).isNull();
      decoded.add(d.value());
    }
    assertThat(decoded).isEqualTo(log);
    assertThat(Apply.replay(ClusterState.initial("c"), decoded)).isEqualTo(Apply.replay(ClusterState.initial("c"), log));
  }

  @Property(tries = 200)
  void snapshotEncodeThenRestoreEqualsTheState(@ForAll("logs") List<Command> log) {
    ClusterState s = Apply.replay(ClusterState.initial("c"), log);
    Codec.Decoded<ClusterState> back = Codec.decodeState(Codec.encode(s));
    assertThat(back.error()).isNull();
    assertThat(back.value()).isEqualTo(s);
    // A restored replica keeps applying the same way as the original.
    Command next = new Command.ApplyConfig(s.epoch(), "cluster: z\n", "", "root", 1);
    assertThat(Apply.apply(back.value(), next)).isEqualTo(Apply.apply(s, next));
  }

  @Property(tries = 200)
  void restoringASnapshotMidLogThenReplayingTheRestEqualsTheFullReplay(
      @ForAll("logs") List<Command> log, @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 80) int cut) {
    int k = Math.min(cut, log.size());
    ClusterState prefix = Apply.replay(ClusterState.initial("c"), log.subList(0, k));
    ClusterState restored = Codec.decodeState(Codec.encode(prefix)).value();
    assertThat(Apply.replay(restored, log.subList(k, log.size())))
        .isEqualTo(Apply.replay(ClusterState.initial("c"), log));
  }

  @Property(tries = 500)
  void arbitraryBytesAreRefusedWithoutThrowing(@ForAll byte[] bytes) {
    Codec.Decoded<Command> d = Codec.decodeCommand(bytes);
    assertThat(d.ok() || d.error() != null).isTrue();
    Codec.Decoded<ClusterState> s = Codec.decodeState(bytes);
    assertThat(s.ok() || s.error() != null).isTrue();
  }
}
