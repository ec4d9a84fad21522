package io.vigil.cluster.daemon;

import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.WAIT;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.attribute;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.awaitRest;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.backing;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.events;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.nbd;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.primaryAndSecondary;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.role;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.run;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.sha256;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.volRoles;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.volumeStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.control.ControlClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's override under three real daemons: a stale (Outdated) copy whose Primary wrote
 * without it and then died is not promoted, and `primary` on it is refused with what --force does;
 * `vigil volume primary vol --force` (the real CLI) deletes its record, the cluster promotes it, and
 * it serves new data. When the old Primary returns with its own writes, the generations show a split
 * brain: nothing is copied either way, never two Primaries; `resolve --keep` on the forced copy then
 * makes both identical.
 */
@Tag("slow")
class VolumeForcedPrimaryThroughClusterTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  @Test
  void anOperatorForcesTheStaleCopyTheClusterPromotesItAndTheReturningPrimarysWritesAreASplitBrain() throws Exception {
    VolumeScenario.run(root, "", "forced test", (cluster, p, s) -> {
      // s is cut off and recorded Outdated; p writes A and loses power.
      VolumeFailoverThroughClusterTest.outdateSecondary(cluster, p, s);
      Path sock = VolumeFailoverThroughClusterTest.volumeDir(cluster.dirs.get(s)).resolve("volume-vol.sock");
      byte[] a = new byte[4 << 20];
      new Random(21).nextBytes(a);
      Files.write(root.resolve("a.bin"), a);
      run(60, "nbdcopy", "--flush", root.resolve("a.bin").toString(), nbd(cluster, p));
      VolumeFailoverThroughClusterTest.powerOff(cluster, p);
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias(p + " fenced")
          .until(() -> Files.exists(root.resolve("fence-calls.log"))
              && Files.readString(root.resolve("fence-calls.log")).contains("plug=" + p));
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .alias(s + " stays an Unpromoted, Outdated Secondary")
          .until(() -> role(cluster, s).startsWith("Secondary Outdated") && volRoles(cluster, "c").equals(List.of(s + " Unpromoted")));
      String refused = ControlClient.send(sock, "primary").text();
      System.out.println("primary without --force on the stale copy: " + refused);
      assertThat(refused).contains("is Outdated on node '" + s + "'", "--force", "lost", "the cluster then promotes it");

      // The operator decides p is lost for good: the real CLI, on s.
      assertThat(cluster.cli("volume", "primary", "vol", "--force", "--control", sock.toString())).as(cluster.lastOutput).isZero();
      System.out.println("vigil volume primary vol --force: " + cluster.lastOutput.strip());
      assertThat(attribute(cluster, "no-promote-vol")).as("s's record is deleted by the force").doesNotContainKey(s);
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("the cluster promotes the forced copy on " + s)
          .until(() -> role(cluster, s).equals("Primary UpToDate StandAlone") && volRoles(cluster, "c").equals(List.of(s + " Promoted")));
      String forced = volumeStatus(cluster, s);
      System.out.println("the forced copy, promoted by the cluster:\n" + forced);
      assertThat(forced).contains("forced primary at ", "(was Outdated;");
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias(s + ", Primary without its peer, records " + p + " Outdated")
          .until(() -> attribute(cluster, "no-promote-vol").getOrDefault(p, "").endsWith(" by " + s));
      byte[] b = new byte[4 << 20];
      new Random(22).nextBytes(b);
      Files.write(root.resolve("b.bin"), b);
      run(60, "nbdcopy", "--flush", root.resolve("b.bin").toString(), nbd(cluster, s));

      // p returns with its own writes (A): Outdated by s's record, and the generations say split brain.
      cluster.start(p);
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias(p + " back, Outdated, not promoted")
          .until(() -> role(cluster, p).startsWith("Secondary Outdated"));
      assertThat(ControlClient.send(sock, "connect").ok()).isTrue();
      try {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("split brain on both, neither connected")
            .until(() -> volumeStatus(cluster, p).contains("split brain") && volumeStatus(cluster, s).contains("split brain")
                && role(cluster, s).endsWith("StandAlone")
                // p may be Connecting again (the connect's peer-connect can reach it after the refusal): s refuses it
                && (role(cluster, p).endsWith("StandAlone") || role(cluster, p).endsWith("Connecting")));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("no split brain on both:\n" + volumeStatus(cluster, p) + "\n" + volumeStatus(cluster, s), e);
      }
      System.out.println("after " + p + " returned:\n" + volumeStatus(cluster, p) + "\n" + volumeStatus(cluster, s));
      assertThat(role(cluster, s)).startsWith("Primary UpToDate");
      assertThat(Arrays.copyOf(Files.readAllBytes(backing(cluster, p)), a.length)).as(p + " keeps A, nothing copied onto it").isEqualTo(a);
      assertThat(Arrays.copyOf(Files.readAllBytes(backing(cluster, s)), b.length)).as(s + " keeps B").isEqualTo(b);

      // The operator keeps the forced copy: p resyncs from it, both identical, the cluster rests.
      assertThat(cluster.cli("volume", "resolve", "vol", "--keep", s, "--control", sock.toString())).as(cluster.lastOutput).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("connected again, " + s + " Primary")
          .until(() -> Arrays.equals(primaryAndSecondary(cluster), new String[] {s, p}));
      awaitRest(cluster, "after the resolve");
      assertThat(sha256(Files.readAllBytes(backing(cluster, p)), Integer.MAX_VALUE)).as("both copies after the resolve")
          .isEqualTo(sha256(Files.readAllBytes(backing(cluster, s)), Integer.MAX_VALUE));
      assertThat(Arrays.copyOf(Files.readAllBytes(backing(cluster, p)), b.length)).isEqualTo(b);
      assertThat(attribute(cluster, "no-promote-vol")).as("every record satisfied and deleted").isEmpty();
      List<String> failures = events(cluster, "FAILURE");
      System.out.println("failures recorded: " + failures);
      assertThat(failures).as("nothing failed on the forced copy").noneMatch(e -> e.startsWith(s + " "));
    });
  }
}
