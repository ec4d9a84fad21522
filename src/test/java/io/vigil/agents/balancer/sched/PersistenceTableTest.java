package io.vigil.agents.balancer.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PersistenceTableTest {
  static final long SEC = 1_000_000_000L;

  @Test
  void bindsAClientUntilTheTimeoutAfterLastUse() throws Exception {
    var t = new PersistenceTable(Duration.ofSeconds(300), 32, 128);
    InetAddress c = InetAddress.getByName("198.51.100.7");
    t.record(c, "a", 0);
    assertThat(t.lookup(c, 299 * SEC)).contains("a");
    t.touch(c, 299 * SEC);
    assertThat(t.lookup(c, 598 * SEC)).contains("a");
    assertThat(t.lookup(c, 599 * SEC)).isEmpty();
  }

  @Test
  void groupsClientsByNetmask() throws Exception {
    var t = new PersistenceTable(Duration.ofSeconds(60), 24, 64);
    t.record(InetAddress.getByName("198.51.100.7"), "a", 0);
    assertThat(t.lookup(InetAddress.getByName("198.51.100.200"), SEC)).contains("a");
    assertThat(t.lookup(InetAddress.getByName("198.51.101.7"), SEC)).isEmpty();
    t.record(InetAddress.getByName("2001:db8:1:2::5"), "b", 0);
    assertThat(t.lookup(InetAddress.getByName("2001:db8:1:2:ffff::9"), SEC)).contains("b");
    assertThat(t.lookup(InetAddress.getByName("2001:db8:1:3::5"), SEC)).isEmpty();
  }

  @Test
  void forgettingAServerDropsItsBindings() throws Exception {
    var t = new PersistenceTable(Duration.ofSeconds(60), 32, 128);
    InetAddress c = InetAddress.getByName("198.51.100.7");
    t.record(c, "a", 0);
    t.forget("a");
    assertThat(t.lookup(c, 1)).isEmpty();
  }

  @Test
  void rejectsBadParameters() {
    assertThatThrownBy(() -> new PersistenceTable(Duration.ZERO, 32, 128)).hasMessageContaining("timeout must be > 0");
    assertThatThrownBy(() -> new PersistenceTable(Duration.ofSeconds(1), 33, 128)).hasMessageContaining("ipv4 33");
  }
}
