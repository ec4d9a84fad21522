package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The move sequence over in-memory holders; the real move between namespaces is in IpNetnsTest. */
class AddressMoveTest {
  final List<String> shared = new ArrayList<>();

  final class Holder implements AddressHolder {
    final String name;
    boolean has;
    AgentResult stopResult = AgentResult.success("ok");
    AgentResult startResult = AgentResult.success("ok");
    boolean ignoresStop;
    AgentResult precheckResult = new AgentResult(AgentResult.OCF_ERR_UNIMPLEMENTED, "none");

    Holder(String name, boolean has) {
      this.name = name;
      this.has = has;
    }

    @Override public AgentResult start() {
      shared.add(name + ".start");
      if (startResult.isSuccess()) {
        has = true;
      }
      return startResult;
    }

    @Override public AgentResult stop() {
      shared.add(name + ".stop");
      if (stopResult.isSuccess() && !ignoresStop) {
        has = false;
      }
      return stopResult;
    }

    @Override public AgentResult precheck(java.util.Set<String> currentMacs) {
      shared.add(name + ".precheck" + currentMacs);
      return precheckResult;
    }

    @Override public java.util.Set<String> ownMacs() {
      return java.util.Set.of("mac-" + name);
    }

    @Override public AgentResult startPrechecked() {
      shared.add(name + ".startPrechecked");
      has = true;
      return AgentResult.success("ok");
    }

    @Override public AgentResult monitor() {
      return has ? AgentResult.success("up") : AgentResult.notRunning("down");
    }
  }

  @Test
  void stopsOnSourceBeforeStartingOnTarget() {
    Holder a = new Holder("a", true);
    Holder b = new Holder("b", false);
    AddressMove.Outcome o = AddressMove.move("a", a, "b", b);
    assertThat(o.moved()).isTrue();
    assertThat(shared).containsExactly("b.precheck[mac-a]", "a.stop", "b.start");
    assertThat(a.has).isFalse();
    assertThat(b.has).isTrue();
  }

  @Test
  void failedStopNeverStartsTheTarget() {
    Holder a = new Holder("a", true);
    a.stopResult = AgentResult.failed(1, "ip addr del failed");
    Holder b = new Holder("b", false);
    AddressMove.Outcome o = AddressMove.move("a", a, "b", b);
    assertThat(o.moved()).isFalse();
    assertThat(shared).containsExactly("b.precheck[mac-a]", "a.stop");
    assertThat(o.message()).contains("never active twice");
  }

  @Test
  void addressLeftOnSourceBlocksTheMove() {
    Holder a = new Holder("a", true);
    a.ignoresStop = true; // e.g. the address was not added by Vigil
    Holder b = new Holder("b", false);
    AddressMove.Outcome o = AddressMove.move("a", a, "b", b);
    assertThat(o.moved()).isFalse();
    assertThat(b.has).isFalse();
    assertThat(o.message()).contains("still has the address");
  }

  @Test
  void failedStartOnTargetRestoresTheSource() {
    Holder a = new Holder("a", true);
    Holder b = new Holder("b", false);
    b.startResult = AgentResult.failed(1, "another host answers ARP");
    AddressMove.Outcome o = AddressMove.move("a", a, "b", b);
    assertThat(o.moved()).isFalse();
    assertThat(shared).containsExactly("b.precheck[mac-a]", "a.stop", "b.start", "a.start");
    assertThat(a.has).isTrue();
    assertThat(o.message()).contains("restored on a");
  }

  @Test
  void failedPrecheckChangesNothing() {
    Holder a = new Holder("a", true);
    Holder b = new Holder("b", false);
    b.precheckResult = AgentResult.failed(1, "also answered by MAC c");
    AddressMove.Outcome o = AddressMove.move("a", a, "b", b);
    assertThat(o.moved()).isFalse();
    assertThat(shared).containsExactly("b.precheck[mac-a]");
    assertThat(a.has).isTrue();
    assertThat(o.message()).contains("nothing was changed");
  }

  @Test
  void successfulPrecheckLetsTheTargetSkipItsProbe() {
    Holder a = new Holder("a", true);
    Holder b = new Holder("b", false);
    b.precheckResult = AgentResult.success("only a answers");
    AddressMove.Outcome o = AddressMove.move("a", a, "b", b);
    assertThat(o.moved()).isTrue();
    assertThat(shared).containsExactly("b.precheck[mac-a]", "a.stop", "b.startPrechecked");
    assertThat(o.steps()).extracting(AddressMove.Step::action).containsExactly("precheck", "stop", "monitor", "start");
  }
}
