package io.vigil.agents.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.testing.FreePorts;
import io.vigil.agents.volume.testing.Proc;
import io.vigil.agents.volume.testing.ServeProcess;
import io.vigil.agents.volume.testing.VolumeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil volume create} run on one node only, either one: real {@code vigil volume serve}
 * processes on loopback, and the node without a copy makes it at its first start from what the
 * peer's copy is (asked over the volume's authenticated link; {@link FirstStart}).
 */
class CreateOnOneNodeTest {
  private static final int SIZE = 16 << 20;
  @TempDir Path dir;
  private Path key;
  private int[] ports;
  private byte[] data;

  @BeforeEach
  void setUp() throws Exception {
    key = VolumeCli.keyFile(dir.resolve("vol.key"), "first-start-test-key-0123456789");
    ports = FreePorts.sorted(2);
    data = new byte[SIZE];
    new Random(7).nextBytes(data);
  }

  private Path backing(String node) {
    return dir.resolve(node + ".img");
  }

  private List<String> args(String node) {
    boolean a = node.equals("a");
    return List.of("--name", "vol", "--backing", backing(node).toString(), "--size", "16M", "--region-size", "64K",
        "--listen", "127.0.0.1:" + ports[a ? 0 : 1], "--peer", "127.0.0.1:" + ports[a ? 1 : 0], "--key-file", key.toString());
  }

  private static void awaitAnswering(ServeProcess p) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !p.status().isEmpty());
  }

  /** {@code vigil volume create} on {@code node} only ({@code from} null: fresh), as the operator runs it. */
  private void create(String node, String from) {
    List<String> cmd = new java.util.ArrayList<>(List.of("create", "vol", "--size", "16M", "--nodes", "a,b", "--node", node,
        "--backing", backing(node).toString(), "--region-size", "64K"));
    if (from != null) cmd.addAll(List.of("--from", from));
    Proc.Result created = VolumeCli.run(cmd.toArray(String[]::new));
    assertThat(created.exit()).as(created.output()).isZero();
  }

  /**
   * Starts {@code early}'s serve process and waits until it answers, then {@code late}'s (which can
   * ask {@code early} what its copy is; {@code early}, started alone, could not ask); returns what
   * {@code synced}'s status says it resynced once both are UpToDate and Connected.
   */
  private String serveBoth(String early, String late, String synced) throws Exception {
    try (ServeProcess e = new ServeProcess(early, dir, args(early))) {
      awaitAnswering(e);
      try (ServeProcess l = new ServeProcess(late, dir, args(late))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> e.status().contains("disk UpToDate, connection Connected")
            && l.status().contains("disk UpToDate, connection Connected"));
        String status = (synced.equals(early) ? e : l).status();
        return status.substring(status.indexOf("resynced ")).lines().findFirst().orElseThrow();
      }
    }
  }

  private String log(String node) throws Exception {
    return Files.readString(dir.resolve(node + ".log"));
  }

  private void assertHoldsTheData(String node) throws Exception {
    assertThat(Arrays.mismatch(Files.readAllBytes(backing(node)), data)).as("first difference on " + node).isEqualTo(-1);
  }

  @Test
  void createdOnTheSourceOnlyTheOtherNodeIsSyncedFromItAtItsFirstStart() throws Exception {
    Files.write(backing("a"), data);
    create("a", "a");
    assertThat(serveBoth("a", "b", "b")).isEqualTo("resynced 16.0 MiB");
    assertHoldsTheData("b");
    assertThat(log("b")).contains("no copy on node 'b' yet and no --init: the peer's copy holds data");
  }

  @Test
  void theOtherNodeStartedFirstWhileTheSourceWasDownIsSyncedInFullWhenTheyMeet() throws Exception {
    Files.write(backing("a"), data);
    create("a", "a");
    // b starts while a, the source, is down: b cannot ask it
    assertThat(serveBoth("b", "a", "b")).isEqualTo("resynced 16.0 MiB");
    assertThat(log("b")).contains("no copy on node 'b' yet and no --init: the peer could not be asked");
    assertHoldsTheData("b");
    assertHoldsTheData("a");
  }

  @Test
  void createdOnTheTargetOnlyTheSourceKeepsItsFileAtItsFirstStart() throws Exception {
    Files.write(backing("b"), data);
    create("a", "b");
    assertThat(serveBoth("a", "b", "a")).isEqualTo("resynced 16.0 MiB");
    assertHoldsTheData("a");
    assertHoldsTheData("b");
    assertThat(log("b")).contains("the peer's copy waits to be synced from this node");
  }

  @Test
  void createdFreshOnOneNodeTheOtherIsFreshTooWithNoSync() throws Exception {
    create("b", null);
    assertThat(serveBoth("b", "a", "a")).isEqualTo("resynced 0 B");
    assertThat(log("a")).contains("the peer's copy is a fresh zero-filled copy");
  }

  @Test
  void anExistingFileThePeerDoesNotWaitForIsRefusedAndLeftAlone() throws Exception {
    create("a", null);
    Files.write(backing("b"), data);
    try (ServeProcess a = new ServeProcess("a", dir, args("a"))) {
      awaitAnswering(a);
      List<String> b = new java.util.ArrayList<>(List.of("serve", "--node", "b", "--control", dir.resolve("b.ctl").toString()));
      b.addAll(args("b"));
      Proc.Result refused = VolumeCli.run(b.toArray(String[]::new));
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.output()).contains(backing("b") + " exists but has no volume metadata").contains("--init sync-target")
          .contains("nothing was created");
    }
    assertHoldsTheData("b");
    assertThat(dir.resolve("b.img.vmeta")).doesNotExist();
  }
}
