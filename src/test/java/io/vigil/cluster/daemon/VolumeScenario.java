package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The frame of every test of a volume under three real daemons: forms the cluster with the volume
 * clone ({@link VolumeFailoverThroughClusterTest#formWithVolume}), polls for two Primaries all along,
 * runs the scenario with the Primary and the Secondary it came up with, then asserts that there
 * never were two. A failure prints the replicated history; the poller stops and the volume
 * processes the daemons leave behind are killed in every case.
 */
final class VolumeScenario {
  /** What a test does once the volume is up: {@code p} is its Primary, {@code s} its Secondary. */
  interface Body {
    void run(LocalCluster cluster, String p, String s) throws Exception;
  }

  private VolumeScenario() {}

  /** Runs {@code body} on a cluster under {@code root} whose volume has the extra {@code volParams} (", key: value" pairs). */
  static void run(Path root, String volParams, String reason, Body body) throws Exception {
    List<String> violations = new CopyOnWriteArrayList<>();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    try (LocalCluster cluster = new LocalCluster(root, VolumeFailoverThroughClusterTest.NODES)) {
      try {
        String[] ps = VolumeFailoverThroughClusterTest.formWithVolume(cluster, root, volParams, reason, poller, violations);
        System.out.println("daemon logs in " + root + "; Primary " + ps[0] + ", Secondary " + ps[1]);
        body.run(cluster, ps[0], ps[1]);
        assertThat(violations).as("never two Primaries").isEmpty();
      } catch (Throwable t) {
        VolumeFailoverThroughClusterTest.printHistory(cluster);
        throw t;
      }
    } finally {
      poller.shutdownNow();
      for (String n : List.of("a", "b")) VolumeFailoverThroughClusterTest.killVolume(root.resolve(n));
    }
  }
}
