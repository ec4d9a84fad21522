package io.vigil.cluster.daemon;

import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.WAIT;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.nbd;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.testing.FsContent;
import io.vigil.agents.volume.testing.MountedExport;
import io.vigil.agents.volume.testing.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volume, block device and filesystem failing over as one group under three real daemons (the
 * volume configuration of {@link VolumeFailoverThroughClusterTest}): a group of {@code builtin:nbd}
 * (the Primary's export as a loop device over nbdfuse, linked at {@code dev/vol}) and Debian's
 * {@code ocf:heartbeat:Filesystem} (ext4 on that link), colocated with the Primary and started after
 * the promotion. The test writes files and appends fsync'd records through the cluster's mount; the
 * Primary's node loses power while the appends run (daemon, volume process and writer killed; the
 * fence device "powers off" the rest of that node: its mount, loop device and nbdfuse, before it
 * confirms); the cluster promotes the other copy, attaches and mounts it at the same place: the
 * journal replays, every file and every record whose fsync returned is there. Stopping the group
 * (target-role Stopped) unmounts and detaches; e2fsck then finds the filesystem clean.
 */
@Tag("slow")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VolumeFilesystemThroughClusterTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  @AfterEach
  void nothingLeftBehind() {
    assertThat(MountedExport.leftovers(root)).as("mounts, loop devices, nbdfuse processes under " + root).isEmpty();
  }

  @Test
  void volumeDeviceAndFilesystemFailOverAsOneGroupWithEveryFsyncdWrite() throws Exception {
    long seed = 63;
    Path ledger = root.resolve("ledger.txt");
    Path mnt = root.resolve("mnt");
    VolumeScenario.run(root, "", "filesystem test", (cluster, p, s) -> {
      try {
        String base = Files.readString(root.resolve("cluster.yaml")); // as applied: the same ports again
        try (MountedExport fs = MountedExport.attach(nbd(cluster, p), root.resolve("mkfs"))) {
          fs.mkfs(); // once, by the operator, as with any new block device
        }
        powerOffScript(cluster);
        Files.createDirectories(mnt);
        apply(cluster, p, withStorageGroup(base));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("the cluster mounts " + p + "'s copy")
            .until(() -> mountedFrom(cluster, mnt).equals(p));

        Map<String, String> files = FsContent.writeFiles(mnt, "files", new Random(seed));
        Files.createDirectories(mnt.resolve("log"));
        Process writer = FsContent.startRecordWriter(mnt.resolve("log/records"), ledger, seed, root);
        try {
          await().atMost(WAIT).until(() -> FsContent.acks(ledger) >= 100 || !writer.isAlive());
          assertThat(writer.isAlive()).as("writer still appending (see %s)", root.resolve("writer.log")).isTrue();
          // Power loss of the Primary's node: its daemon, its volume process and the writer, at once.
          long volPid = VolumeFailoverThroughClusterTest.volumePid(cluster, p);
          cluster.procs.get(p).destroyForcibly();
          ProcessHandle.of(volPid).ifPresent(ProcessHandle::destroyForcibly);
          writer.destroyForcibly();
          cluster.procs.get(p).waitFor();
          ProcessHandle.of(volPid).ifPresent(h -> h.onExit().join());
          writer.waitFor();
        } finally {
          writer.destroyForcibly();
        }
        long acked = FsContent.acks(ledger);
        System.out.println(p + " lost power after " + acked + " fsync'd records");

        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("the cluster promotes " + s)
            .until(() -> role(cluster, s).startsWith("Primary UpToDate"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("the cluster mounts " + s + "'s copy")
            .until(() -> mountedFrom(cluster, mnt).equals(s));
        assertThat(Files.readString(root.resolve("fence-calls.log"))).contains("plug=" + p);
        assertThat(FsContent.hashes(mnt, mnt.resolve("files"))).as("files written on " + p + ", read on " + s).isEqualTo(files);
        FsContent.assertRecords(mnt.resolve("log/records"), seed, acked);

        // The group stopped: the cluster unmounts and detaches (in that order); the copy is clean.
        apply(cluster, s, withStorageGroup(base).replace("- group: storage\n", "- group: storage\n    meta: {target-role: Stopped}\n"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("unmounted and detached")
            .until(() -> mountedFrom(cluster, mnt).isEmpty() && !Files.exists(nbdState(cluster, s).resolve("device")));
        try (MountedExport fs = MountedExport.attach(nbd(cluster, s), root.resolve("fsck"))) {
          Proc.Result check = fs.fsck();
          assertThat(check.exit()).as("e2fsck -fn on %s's copy after the journal replay:\n%s", s, check.output()).isZero();
        }
      } finally {
        for (String n : VolumeFailoverThroughClusterTest.NODES) Proc.run(60, root.resolve("power-off.sh").toString(), n);
      }
    });
  }

  private void apply(LocalCluster cluster, String via, String config) throws IOException {
    Path cfg = root.resolve("cluster.yaml");
    Files.writeString(cfg, config);
    assertThat(cluster.cli("apply", "-f", cfg.toString(), "--reason", "storage group", "--state-dir", cluster.dirs.get(via).toString()))
        .as(cluster.lastOutput).isZero();
  }

  /** The volume's configuration plus the storage group: the Primary's export attached, then mounted. */
  private String withStorageGroup(String config) {
    String group = """
          - group: storage
            members:
              - primitive: disk
                agent: builtin:nbd
                params: {volume: vol, method: loop, link: %s}
                operations: [{name: monitor, interval: 2s}]
              - primitive: fs
                agent: ocf:heartbeat:Filesystem
                params: {device: %s, directory: %s, fstype: ext4}
                operations: [{name: monitor, interval: 2s}]
        constraints:
          - {colocation: storage-with-primary, resource: storage, with: vol-clone, with-role: Promoted, score: INFINITY}
          - {order: primary-then-storage, first: vol-clone, first-action: promote, then: storage, then-action: start}
        """.formatted(root.resolve("dev/vol"), root.resolve("dev/vol"), root.resolve("mnt"));
    assertThat(config).contains("constraints:\n");
    return config.replace("constraints:\n", group);
  }

  /** Where builtin:nbd keeps the attachment of resource "disk" on {@code node}. */
  private static Path nbdState(LocalCluster cluster, String node) {
    return cluster.dirs.get(node).resolve("builtin").resolve("nbd").resolve("disk");
  }

  /** The node whose attached device is mounted at {@code mnt}, or "" (none, or a device of no node). */
  private static String mountedFrom(LocalCluster cluster, Path mnt) {
    String source = Proc.run(30, "findmnt", "-n", "-o", "SOURCE", "--mountpoint", mnt.toString()).output().strip();
    if (source.isEmpty()) return "";
    for (String n : VolumeFailoverThroughClusterTest.NODES) {
      try {
        Path device = nbdState(cluster, n).resolve("device");
        if (Files.exists(device) && Files.readAllLines(device).get(0).strip().equals(source)) return n;
      } catch (IOException e) {
        // detached meanwhile
      }
    }
    return "";
  }

  /**
   * The lab fence device, now also the power switch: for {@code action=off} or {@code reboot} of a
   * node it takes down what that node's power loss would (the mount of its device, nbdfuse, the loop
   * device), records the request and confirms. {@code power-off.sh NODE} alone is the same step,
   * also used to clean up after a failure.
   */
  private void powerOffScript(LocalCluster cluster) throws IOException {
    StringBuilder cases = new StringBuilder();
    for (String n : VolumeFailoverThroughClusterTest.NODES) cases.append("  ").append(n).append(") state=").append(nbdState(cluster, n)).append(" ;;\n");
    Path powerOff = root.resolve("power-off.sh");
    Files.writeString(powerOff, """
        #!/bin/sh
        case "$1" in
        %s  *) exit 0 ;;
        esac
        [ -f "$state/device" ] || exit 0
        dev=$(head -1 "$state/device")
        [ "$(findmnt -n -o SOURCE --mountpoint %s)" = "$dev" ] && umount -l %s
        # the loop device first: once its file's FUSE mount is gone, its backing file no longer names this node
        [ "$(cat /sys/block/${dev#/dev/}/loop/backing_file 2>/dev/null)" = "$state/fuse/nbd" ] && losetup -d "$dev"
        [ -f "$state/nbdfuse.pid" ] && kill -9 "$(cat "$state/nbdfuse.pid")" 2>/dev/null
        findmnt -n --mountpoint "$state/fuse" >/dev/null && umount -l "$state/fuse"
        rm -f "$state/device" "$state/nbdfuse.pid"
        exit 0
        """.formatted(cases, root.resolve("mnt"), root.resolve("mnt")));
    Path device = root.resolve("fence-lab.sh");
    Files.writeString(device, """
        #!/bin/sh
        action=; plug=
        while read -r line; do
          echo "$line" >> %s
          case "$line" in action=*) action=${line#action=} ;; plug=*) plug=${line#plug=} ;; esac
        done
        case "$action" in off|reboot) [ -n "$plug" ] && %s "$plug" ;; esac
        exit 0
        """.formatted(root.resolve("fence-calls.log"), powerOff));
    for (Path f : List.of(powerOff, device)) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
