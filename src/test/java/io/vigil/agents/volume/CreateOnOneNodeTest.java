package io.vigil.agents.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.testing.FreePorts;
import io.vigil.agents.volume.testing.Proc;
import io.vigil.agents.volume.testing.ServeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    key = Files.writeString(dir.resolve("vol.key"), "first-start-test-key-0123456789");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    ports = FreePorts.sorted(2);
    data = new byte[SIZE];
    new Random(7).nextBytes(data);
  }

  private static Proc.Result vigilVolume(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine cl = new picocli.CommandLine(new io.vigil.cli.VolumeCommand());
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(out, true));
    return new Proc.Result(cl.execute(args), out.toString());
  }

  private Path backing(String node) {
    return dir.resolve(node + ".img");
  }

  private List<String> args(String node) {
    boolean a = node.equals("a");
    return List.of("--name", "vol", "--backing", backing(node).toString(), "--size", "16M", "--region-size", "64K",
        "--listen", "127.0.0.1:" + ports[a ? 0 : 1], "--peer", "127.0.0.1:" + ports[a ? 1 : 0], "--key-file", key.toString());
  }

  private static void awaitInSync(ServeProcess a, ServeProcess b) {
    await().atMost(Duration.ofSeconds(60)).until(() -> a.status().contains("disk UpToDate, connection Connected")
        && b.status().contains("disk UpToDate, connection Connected"));
  }

  private static void awaitAnswering(ServeProcess p) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !p.status().isEmpty());
  }

  @Test
  void createdOnTheSourceOnlyTheOtherNodeIsSyncedFromItAtItsFirstStart() throws Exception {
    Files.write(backing("a"), data);
    Proc.Result created = vigilVolume("create", "vol", "--size", "16M", "--nodes", "a,b", "--node", "a", "--backing", backing("a").toString(),
        "--from", "a", "--region-size", "64K");
    assertThat(created.exit()).as(created.output()).isZero();
    try (ServeProcess a = new ServeProcess("a", dir, args("a"))) {
      awaitAnswering(a);
      try (ServeProcess b = new ServeProcess("b", dir, args("b"))) {
        awaitInSync(a, b);
        assertThat(b.status()).contains("resynced 16.0 MiB");
      }
    }
    assertThat(Arrays.mismatch(Files.readAllBytes(backing("b")), data)).as("first difference on b").isEqualTo(-1);
    assertThat(Files.readString(dir.resolve("b.log"))).contains("no copy on node 'b' yet and no --init: the peer's copy holds data");
  }

  @Test
  void theOtherNodeStartedFirstWhileTheSourceWasDownIsSyncedInFullWhenTheyMeet() throws Exception {
    Files.write(backing("a"), data);
    Proc.Result created = vigilVolume("create", "vol", "--size", "16M", "--nodes", "a,b", "--node", "a", "--backing", backing("a").toString(),
        "--from", "a", "--region-size", "64K");
    assertThat(created.exit()).as(created.output()).isZero();
    try (ServeProcess b = new ServeProcess("b", dir, args("b"))) {
      awaitAnswering(b); // a is not running: b could not ask, so it is a fresh zero-filled copy
      assertThat(Files.readString(dir.resolve("b.log"))).contains("no copy on node 'b' yet and no --init: the peer could not be asked");
      try (ServeProcess a = new ServeProcess("a", dir, args("a"))) {
        awaitInSync(a, b);
        assertThat(b.status()).contains("resynced 16.0 MiB");
      }
    }
    assertThat(Arrays.mismatch(Files.readAllBytes(backing("b")), data)).as("first difference on b").isEqualTo(-1);
    assertThat(Arrays.mismatch(Files.readAllBytes(backing("a")), data)).as("a's data kept").isEqualTo(-1);
  }

  @Test
  void createdOnTheTargetOnlyTheSourceKeepsItsFileAtItsFirstStart() throws Exception {
    Files.write(backing("b"), data);
    Proc.Result created = vigilVolume("create", "vol", "--size", "16M", "--nodes", "a,b", "--node", "a", "--backing", backing("a").toString(),
        "--from", "b", "--region-size", "64K");
    assertThat(created.exit()).as(created.output()).isZero();
    try (ServeProcess a = new ServeProcess("a", dir, args("a"))) {
      awaitAnswering(a);
      try (ServeProcess b = new ServeProcess("b", dir, args("b"))) {
        awaitInSync(a, b);
        assertThat(a.status()).contains("resynced 16.0 MiB");
      }
    }
    assertThat(Arrays.mismatch(Files.readAllBytes(backing("a")), data)).as("first difference on a").isEqualTo(-1);
    assertThat(Arrays.mismatch(Files.readAllBytes(backing("b")), data)).as("b's own data kept").isEqualTo(-1);
    assertThat(Files.readString(dir.resolve("b.log"))).contains("the peer's copy waits to be synced from this node");
  }

  @Test
  void createdFreshOnOneNodeTheOtherIsFreshTooWithNoSync() throws Exception {
    Proc.Result created = vigilVolume("create", "vol", "--size", "16M", "--nodes", "a,b", "--node", "b", "--backing", backing("b").toString(),
        "--region-size", "64K");
    assertThat(created.exit()).as(created.output()).isZero();
    try (ServeProcess b = new ServeProcess("b", dir, args("b"))) {
      awaitAnswering(b);
      try (ServeProcess a = new ServeProcess("a", dir, args("a"))) {
        awaitInSync(a, b);
        assertThat(a.status()).contains("resynced 0 B");
        assertThat(b.status()).contains("resynced 0 B");
      }
    }
    assertThat(Files.readString(dir.resolve("a.log"))).contains("the peer's copy is a fresh zero-filled copy");
  }

  @Test
  void anExistingFileThePeerDoesNotWaitForIsRefusedAndLeftAlone() throws Exception {
    Proc.Result created = vigilVolume("create", "vol", "--size", "16M", "--nodes", "a,b", "--node", "a", "--backing", backing("a").toString(),
        "--region-size", "64K");
    assertThat(created.exit()).as(created.output()).isZero();
    Files.write(backing("b"), data);
    try (ServeProcess a = new ServeProcess("a", dir, args("a"))) {
      awaitAnswering(a);
      List<String> b = new java.util.ArrayList<>(List.of("serve", "--node", "b", "--control", dir.resolve("b.ctl").toString()));
      b.addAll(args("b"));
      Proc.Result refused = vigilVolume(b.toArray(String[]::new));
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.output()).contains(backing("b") + " exists but has no volume metadata").contains("--init sync-target")
          .contains("nothing was created");
    }
    assertThat(Arrays.mismatch(Files.readAllBytes(backing("b")), data)).isEqualTo(-1);
    assertThat(dir.resolve("b.img.vmeta")).doesNotExist();
  }
}
