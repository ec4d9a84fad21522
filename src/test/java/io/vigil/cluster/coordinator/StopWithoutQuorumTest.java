package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cluster.state.Command;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import io.vigil.exec.Invocation;
import io.vigil.model.AgentRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StopWithoutQuorumTest {
  private final LocalActive local = new LocalActive();
  private final List<String> ran = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private boolean quorate;

  private StopWithoutQuorum stopper(int failingRc, String failing) {
    return new StopWithoutQuorum(local, inv -> {
      ran.add(inv.action() + " " + inv.resourceId());
      int rc = inv.resourceId().equals(failing) ? failingRc : 0;
      return new ExecResult(inv, rc, ExecStatus.DONE, Instant.EPOCH, Duration.ofMillis(5), "", false, "");
    }, "n1", Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), ids::incrementAndGet, () -> quorate);
  }

  private void started(String id) {
    local.note("START", id, Invocation.of(AgentRef.parse("ocf:heartbeat:Dummy"), id, "start", Map.of(), Duration.ofSeconds(20)), 0);
  }

  @Test
  void stopsNewestFirstAndKeepsWhatFailedToStop() {
    started("fs");
    started("ip");
    started("web");
    List<Command> results = stopper(1, "ip").run(null, false, System.nanoTime() + 1_000_000_000L, id -> ran.add("monitors of " + id + " end"));
    assertThat(ran).containsExactly("monitors of web end", "stop web", "monitors of ip end", "stop ip", "monitors of fs end", "stop fs");
    assertThat(local.newestFirst()).extracting(e -> e.getKey()).containsExactly("ip");
    assertThat(results).hasSize(3).allMatch(c -> c instanceof Command.RecordOperation);
  }

  @Test
  void demoteOnlyTouchesPromotedInstancesAndQuorumBackEndsThePassKeepingMonitors() {
    started("a");
    local.note("PROMOTE", "db", Invocation.of(AgentRef.parse("ocf:pacemaker:Stateful"), "db", "promote", Map.of(), Duration.ofSeconds(20)), 0);
    stopper(0, "").run(null, true, System.nanoTime(), id -> { });
    assertThat(ran).containsExactly("demote db");
    quorate = true;
    ran.clear();
    stopper(0, "").run(null, false, System.nanoTime(), id -> ran.add("monitors of " + id + " end"));
    assertThat(ran).isEmpty();
  }
}
