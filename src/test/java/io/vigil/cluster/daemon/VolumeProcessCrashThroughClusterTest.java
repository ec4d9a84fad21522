package io.vigil.cluster.daemon;

import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.WAIT;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.attribute;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.awaitRest;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.backing;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.events;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.nbd;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.primaryAndSecondary;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.role;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.scores;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.run;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.sha256;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.svcOn;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.killVolumeProcess;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.volumeStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Primary's volume process dies alone (SIGKILL; its node and daemon keep running): the
 * monitor sees it gone, the cluster recovers the clone without fencing anybody, there is again one
 * Primary and one connected Secondary with the service on the Primary, the data written before the
 * crash reads back through the Primary's export, and both copies end identical. Never two Primaries.
 * The same for the Secondary's process: the Primary keeps serving and writing, the Secondary comes
 * back, resyncs what it missed and is promotable again (its Outdated mark gone, its score back).
 */
@Tag("slow")
class VolumeProcessCrashThroughClusterTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  @Test
  void aCrashedPrimaryProcessIsRecoveredWithoutFencingAndTheDataIsThere() throws Exception {
    VolumeScenario.run(root, "", "volume process crash test", (cluster, p, s) -> {
      byte[] data = new byte[8 << 20];
      new Random(8).nextBytes(data);
      Path in = root.resolve("in.bin");
      Files.write(in, data);
      run(60, "nbdcopy", "--flush", in.toString(), nbd(cluster, p));

      long killedAt = System.nanoTime();
      killVolumeProcess(cluster, p);
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("the cluster records the failed monitor of the Primary")
          .until(() -> events(cluster, "FAILURE").stream().anyMatch(e -> e.startsWith(p + " vol")));
      long seenMs = (System.nanoTime() - killedAt) / 1_000_000;
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("one Primary, one Secondary, connected, svc on the Primary")
          .until(() -> {
            String[] now = primaryAndSecondary(cluster);
            return now != null && svcOn(cluster).equals(List.of(now[0]));
          });
      long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
      String[] after = primaryAndSecondary(cluster);
      System.out.println("volume process of " + p + " killed: failure recorded after " + seenMs + " ms, " + after[0]
          + " Primary and " + after[1] + " Secondary, connected, svc on " + after[0] + " after " + recoveredMs + " ms");
      awaitRest(cluster, "after the recovery");
      assertThat(primaryAndSecondary(cluster)).as("roles at rest").containsExactly(after);

      Path out = root.resolve("out.bin");
      run(60, "nbdcopy", nbd(cluster, after[0]), out.toString());
      assertThat(sha256(Files.readAllBytes(out), data.length)).as("data written before the crash, read on " + after[0])
          .isEqualTo(sha256(data, data.length));
      assertThat(sha256(Files.readAllBytes(backing(cluster, "a")), Integer.MAX_VALUE)).as("a's copy equals b's at rest")
          .isEqualTo(sha256(Files.readAllBytes(backing(cluster, "b")), Integer.MAX_VALUE));
      assertThat(root.resolve("fence-calls.log")).as("a resource's failure fences nobody").doesNotExist();
      System.out.println("after the recovery:\n" + volumeStatus(cluster, after[0]) + "\n" + volumeStatus(cluster, after[1]));
      List<String> actions = events(cluster, "ACTION");
      System.out.println("the last actions:\n  " + String.join("\n  ", actions.subList(Math.max(0, actions.size() - 14), actions.size())));
    });
  }

  @Test
  void aCrashedSecondaryProcessComesBackResyncsAndIsPromotableAgain() throws Exception {
    VolumeScenario.run(root, "", "volume process crash test", (cluster, p, s) -> {
      long killedAt = System.nanoTime();
      killVolumeProcess(cluster, s);
      // Written while the Secondary is gone: the Primary keeps serving (it tracks the regions).
      byte[] data = new byte[8 << 20];
      new Random(9).nextBytes(data);
      Path in = root.resolve("in.bin");
      Files.write(in, data);
      run(60, "nbdcopy", "--flush", in.toString(), nbd(cluster, p));
      assertThat(role(cluster, p)).as("the Primary while its peer is gone").startsWith("Primary UpToDate");
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias(s + " back: Secondary, UpToDate, connected")
          .until(() -> role(cluster, s).equals("Secondary UpToDate Connected") && role(cluster, p).equals("Primary UpToDate Connected"));
      System.out.println("volume process of " + s + " killed: back as Secondary, UpToDate, after "
          + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
      awaitRest(cluster, "after the recovery");
      assertThat(primaryAndSecondary(cluster)).as("roles at rest").containsExactly(p, s);
      assertThat(svcOn(cluster)).containsExactly(p);
      await().atMost(WAIT).alias(s + " promotable again: no Outdated mark, both scored")
          .until(() -> !attribute(cluster, "no-promote-vol").containsKey(s) && scores(cluster).equals(java.util.Map.of(p, "10000", s, "10000")));
      java.util.regex.Matcher resynced = java.util.regex.Pattern.compile("resynced ([0-9.]+) MiB").matcher(volumeStatus(cluster, s));
      assertThat(resynced.find()).as(volumeStatus(cluster, s)).isTrue();
      assertThat(Double.parseDouble(resynced.group(1))).as("MiB resynced to " + s + ": what it missed, not all 32")
          .isBetween(8.0, 12.0);
      assertThat(sha256(Files.readAllBytes(backing(cluster, s)), data.length)).as(s + "'s copy holds what was written without it")
          .isEqualTo(sha256(data, data.length));
      assertThat(sha256(Files.readAllBytes(backing(cluster, "a")), Integer.MAX_VALUE)).as("a's copy equals b's at rest")
          .isEqualTo(sha256(Files.readAllBytes(backing(cluster, "b")), Integer.MAX_VALUE));
      assertThat(root.resolve("fence-calls.log")).as("a resource's failure fences nobody").doesNotExist();
      System.out.println("after the recovery:\n" + volumeStatus(cluster, p) + "\n" + volumeStatus(cluster, s));
    });
  }
}
