package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.ip.Ownership.StartAction;
import io.vigil.agents.ip.Ownership.StopAction;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnershipTest {

  @Test
  void addressPresentBeforeStartIsNeverRemoved() {
    assertThat(Ownership.onStart(true, false)).isEqualTo(StartAction.PRESENT_NOT_OURS);
    assertThat(Ownership.onStop(true, false)).isEqualTo(StopAction.LEAVE_NOT_OURS);
  }

  @Test
  void staleRecordDoesNotMakeAnAddressOurs() {
    assertThat(Ownership.onStart(false, true)).isEqualTo(StartAction.ADD);
    assertThat(Ownership.onStop(false, true)).isEqualTo(StopAction.ALREADY_ABSENT);
  }

  @Property
  void stopRemovesOnlyRecordedPresentAddresses(@ForAll boolean present, @ForAll boolean recorded) {
    assertThat(Ownership.onStop(present, recorded) == StopAction.REMOVE).isEqualTo(present && recorded);
  }

  @Test
  void fileStoreRecordsAndForgetsPerNamespaceInterfaceAndAddress(@TempDir Path dir) throws Exception {
    FileOwnershipStore store = new FileOwnershipStore(dir.resolve("ip"), InstantSource.fixed(Instant.EPOCH));
    AddressKey a = new AddressKey(Optional.of("h1"), "eth0", InetAddress.getByName("fd77::100"));
    AddressKey b = new AddressKey(Optional.empty(), "eth0", InetAddress.getByName("fd77::100"));
    assertThat(store.isRecorded(a)).isFalse();
    store.record(a, "fd77::100/64 on eth0 (netns h1)");
    assertThat(store.isRecorded(a)).isTrue();
    assertThat(store.isRecorded(b)).isFalse();
    assertThat(dir.resolve("ip").resolve(a.fileName())).content().contains("added-by=vigil");
    store.forget(a);
    assertThat(store.isRecorded(a)).isFalse();
  }
}
