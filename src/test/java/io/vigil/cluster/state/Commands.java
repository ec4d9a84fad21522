package io.vigil.cluster.state;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of commands over a small world, so commands often hit the same names. */
final class Commands {
  private Commands() {}

  static final List<String> NODES = List.of("alpha", "beta", "gamma");

  static Arbitrary<String> node() {
    return Arbitraries.of(NODES);
  }

  static Arbitrary<Long> time() {
    return Arbitraries.longs().between(0, 10_000);
  }

  static Arbitrary<Command> any() {
    return Arbitraries.oneOf(List.of(applyConfig(), addMember(), setNodeState(), recordOperation(), clearFailures(),
        startTransition(), pauseFencing(), resumeFencing(), recordFencing(), setHistoryCap(), setAttribute(),
        removeMember(), addToken(), useToken(), cleanup(), batch()));
  }

  /** Two or three of the others in one log entry. */
  static Arbitrary<Command> batch() {
    Arbitrary<Command> single = Arbitraries.oneOf(List.of(recordOperation(), setNodeState(), recordFencing(),
        setAttribute()));
    return Combinators.combine(single.list().ofMinSize(2).ofMaxSize(3), time()).as((cs, t) -> new Command.Batch(cs, "node:alpha", t));
  }

  static Arbitrary<Command> applyConfig() {
    return Combinators.combine(Arbitraries.longs().between(0, 6), Arbitraries.of("cluster: a\n", "cluster: b\n", ""), time())
        .as((e, y, t) -> new Command.ApplyConfig(e, y, "why", "root", t));
  }

  static Arbitrary<Command> addMember() {
    return Combinators.combine(node(), Arbitraries.of("127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"),
        Arbitraries.of(Member.Role.class), time()).as((n, a, r, t) -> new Command.AddMember(n, a, r, "root", t));
  }

  static Arbitrary<Command> removeMember() {
    return Combinators.combine(node(), time()).as((n, t) -> new Command.RemoveMember(n, "root", t));
  }

  static Arbitrary<Command> setNodeState() {
    return Combinators.combine(node(), Arbitraries.of(NodeState.class), time())
        .as((n, st, t) -> new Command.SetNodeState(n, st, "test", "node:x", t));
  }

  static Arbitrary<Command> setAttribute() {
    return Combinators.combine(node(), Arbitraries.of("health", "disk"), Arbitraries.of("red", "green", null), time())
        .as((n, k, v, t) -> new Command.SetNodeAttribute(n, k, v, "node:x", t));
  }

  static Arbitrary<Command> recordOperation() {
    return Combinators.combine(Arbitraries.of("db", "ip"), node(), Arbitraries.of("start", "monitor", "stop"),
        Arbitraries.of(0L, 10_000L), Arbitraries.integers().between(0, 7), Arbitraries.longs().between(0, 50),
        Arbitraries.of(true, false), time())
        .as((r, n, op, iv, rc, call, failed, t) -> new Command.RecordOperation(
            new OpResult(r, n, op, iv, rc, call, t, 5, failed, "out"), "node:" + n, t));
  }

  static Arbitrary<Command> clearFailures() {
    return Combinators.combine(Arbitraries.of("db", "ip"), Arbitraries.of("", "alpha"), time())
        .as((r, n, t) -> new Command.ClearFailures(r, n, "root", t));
  }

  static Arbitrary<Command> cleanup() {
    return Combinators.combine(Arbitraries.of(List.of("db"), List.of("ip", "db"), List.<String>of()), Arbitraries.of("", "alpha"), time())
        .as((r, n, t) -> new Command.CleanupResource(r, n, "root", t));
  }

  static Arbitrary<Command> startTransition() {
    return Combinators.combine(Arbitraries.of("t1", "t2"), Arbitraries.longs().between(0, 4), time())
        .as((id, e, t) -> new Command.StartTransition(new Transition(id, e, "{}", t,
            Map.of("a1", new Transition.ActionProgress("a1", Transition.ActionProgress.Phase.PENDING, -1, t, "alpha"))),
            "node:alpha", t));
  }

  static Arbitrary<Command> pauseFencing() {
    return Combinators.combine(Arbitraries.of("p1", "p2"), Arbitraries.of("", "beta"), time(), Arbitraries.longs().between(-5, 5000))
        .as((id, n, t, d) -> new Command.PauseFencing(id, n, t + d, "upgrade", "root", t));
  }

  static Arbitrary<Command> resumeFencing() {
    return Combinators.combine(Arbitraries.of("", "p1"), time()).as((id, t) -> new Command.ResumeFencing(id, "root", t));
  }

  static Arbitrary<Command> recordFencing() {
    return Combinators.combine(node(), Arbitraries.of(true, false), time())
        .as((n, ok, t) -> new Command.RecordFencing(n, "ipmi", "reboot", ok, 100, "lost", "node:alpha", t));
  }

  static Arbitrary<Command> setHistoryCap() {
    return Combinators.combine(Arbitraries.integers().between(-1, 8), time()).as((c, t) -> new Command.SetHistoryCap(c, "root", t));
  }

  static Arbitrary<Command> addToken() {
    return Combinators.combine(Arbitraries.of("k1", "k2"), time())
        .as((id, t) -> new Command.AddJoinToken(new JoinToken(id, "ab", t + 100, "root"), "root", t));
  }

  static Arbitrary<Command> useToken() {
    return Combinators.combine(Arbitraries.of("k1", "k2"), Arbitraries.of("ab", "cd"), time())
        .as((id, h, t) -> new Command.UseJoinToken(id, h, "delta", "node:alpha", t));
  }
}
