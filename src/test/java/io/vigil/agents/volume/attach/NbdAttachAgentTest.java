package io.vigil.agents.volume.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.testing.FreePorts;
import io.vigil.agents.volume.testing.MountedExport;
import io.vigil.agents.volume.testing.Proc;
import io.vigil.agents.volume.testing.ServeProcess;
import io.vigil.agents.volume.testing.VolumeCli;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfRc;
import io.vigil.model.AgentRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code builtin:nbd} against real exports: two {@code vigil volume serve} processes, the Primary's
 * export attached with nbdfuse and a loop device, a real ext4 made, mounted and written through the
 * agent's link; stop refused while mounted; a dead nbdfuse seen by monitor; the Secondary's refusal;
 * the kernel method on a host without the nbd module. Nothing may be left behind.
 */
@Tag("slow")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NbdAttachAgentTest {
  @TempDir Path dir;

  /** Every attachment a test made, stopped after it whatever happened (umount -l first if a mount remained). */
  private final List<Map<String, String>> started = new ArrayList<>();

  @AfterEach
  void nothingLeftBehind() throws Exception {
    if (Mounts.isMountPoint(dir.resolve("mnt"))) Proc.run(60, "umount", "-l", dir.resolve("mnt").toString());
    for (Map<String, String> p : started) {
      for (String node : List.of("state-a", "state-b", "state")) run(new NbdAttachAgent(dir.resolve(node), dir), "stop", p);
    }
    assertThat(MountedExport.leftovers(dir)).as("mounts, loop devices, nbdfuse processes under " + dir).isEmpty();
  }

  record Result(int rc, String out) {}

  private Result run(NbdAttachAgent agent, String action, Map<String, String> params) throws Exception {
    if (action.equals("start")) started.add(params);
    StringWriter w = new StringWriter();
    int rc = agent.run(Invocation.of(AgentRef.parse("builtin:nbd"), "disk", action, params, Duration.ofSeconds(60)), new PrintWriter(w, true));
    return new Result(rc, w.toString());
  }

  /** builtin:nbd's parameters for {@code node}'s export of "vol", method loop, linked at {@code link}. */
  private static Map<String, String> loop(ServeProcess node, Path link) {
    return Map.of("export", node.uri("vol"), "method", "loop", "link", link.toString());
  }

  @Test
  void thePrimarysExportBecomesABlockDeviceForAFilesystemAndIsDetachedOnlyOnceUnmounted() throws Exception {
    try (Pair pair = new Pair(dir)) {
      NbdAttachAgent agent = new NbdAttachAgent(dir.resolve("state-a"), dir);
      Path link = dir.resolve("dev/vol");
      Map<String, String> params = loop(pair.a, link);
      assertThat(run(agent, "monitor", params).rc()).as("nothing attached yet").isEqualTo(OcfRc.NOT_RUNNING);

      assertThat(run(agent, "start", params)).isEqualTo(new Result(OcfRc.SUCCESS, ""));
      Path device = Files.readSymbolicLink(link);
      assertThat(device.toString()).matches("/dev/loop\\d+");
      assertThat(run(agent, "start", params)).as("start again: the same attachment").isEqualTo(new Result(OcfRc.SUCCESS, ""));
      assertThat(Files.readSymbolicLink(link)).isEqualTo(device);

      Path mnt = Files.createDirectories(dir.resolve("mnt"));
      Proc.ok(120, "mkfs.ext4", "-q", "-F", link.toString());
      Proc.ok(120, "mount", "-t", "ext4", link.toString(), mnt.toString());
      try {
        Files.writeString(mnt.resolve("hello"), "written through builtin:nbd\n");
        Proc.ok(60, "sync", "-f", mnt.resolve("hello").toString());
        Result monitor = run(agent, "monitor", params);
        assertThat(monitor.rc()).isEqualTo(OcfRc.SUCCESS);
        assertThat(monitor.out()).contains("attached as " + device).contains("mounted at [" + mnt + "]");

        Result refused = run(agent, "stop", params);
        assertThat(refused.rc()).isEqualTo(OcfRc.ERR_GENERIC);
        assertThat(refused.out()).contains("is still mounted at [" + mnt + "]").contains("stop the filesystem resource first");
        assertThat(run(agent, "monitor", params).rc()).as("a refused stop changes nothing").isEqualTo(OcfRc.SUCCESS);
      } finally {
        Proc.ok(120, "umount", mnt.toString());
      }
      assertThat(run(agent, "stop", params)).isEqualTo(new Result(OcfRc.SUCCESS, ""));
      assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("link removed").isFalse();
      assertThat(MountedExport.leftovers(dir)).isEmpty();
      assertThat(run(agent, "monitor", params).rc()).isEqualTo(OcfRc.NOT_RUNNING);
      Files.createSymbolicLink(link, Path.of("/dev/null")); // another node's, or another resource's: not this attachment's
      assertThat(run(agent, "stop", params).rc()).as("stop of nothing").isEqualTo(OcfRc.SUCCESS);
      assertThat(Files.readSymbolicLink(link)).as("a link this attachment did not make is left alone").isEqualTo(Path.of("/dev/null"));

      // What was written through the mount is in the volume: attached again, mounted read-only.
      assertThat(run(agent, "start", params).rc()).isEqualTo(OcfRc.SUCCESS);
      Proc.ok(120, "mount", "-t", "ext4", "-o", "ro", link.toString(), mnt.toString());
      try {
        assertThat(Files.readString(mnt.resolve("hello"))).isEqualTo("written through builtin:nbd\n");
      } finally {
        Proc.ok(120, "umount", mnt.toString());
      }
      assertThat(run(agent, "stop", params).rc()).isEqualTo(OcfRc.SUCCESS);
    }
  }

  @Test
  void aDeadClientIsAMonitorFailureAndStopStillCleansUp_andTheSecondaryRefusesLeavingNothing() throws Exception {
    try (Pair pair = new Pair(dir)) {
      NbdAttachAgent agent = new NbdAttachAgent(dir.resolve("state-a"), dir);
      Path link = dir.resolve("dev/vol");
      Map<String, String> params = loop(pair.a, link);
      assertThat(run(agent, "start", params).rc()).isEqualTo(OcfRc.SUCCESS);
      long pid = Long.parseLong(Files.readString(dir.resolve("state-a/disk/nbdfuse.pid")).strip());
      ProcessHandle nbdfuse = ProcessHandle.of(pid).orElseThrow();
      nbdfuse.destroyForcibly();
      nbdfuse.onExit().get(20, TimeUnit.SECONDS);
      Result monitor = run(agent, "monitor", params);
      assertThat(monitor.rc()).isEqualTo(OcfRc.ERR_GENERIC);
      assertThat(monitor.out()).contains("nbdfuse for " + pair.a.uri("vol") + " is not running");
      assertThat(run(agent, "stop", params).rc()).isEqualTo(OcfRc.SUCCESS);
      assertThat(MountedExport.leftovers(dir)).isEmpty();

      NbdAttachAgent onB = new NbdAttachAgent(dir.resolve("state-b"), dir);
      Map<String, String> paramsB = loop(pair.b, dir.resolve("dev/vol-b"));
      Result refused = run(onB, "start", paramsB);
      assertThat(refused.rc()).isEqualTo(OcfRc.ERR_GENERIC);
      assertThat(refused.out()).containsAnyOf("no NBD export at " + pair.b.nbdSocket, "nbdfuse " + pair.b.uri("vol") + " exited");
      assertThat(run(onB, "monitor", paramsB).rc()).isEqualTo(OcfRc.NOT_RUNNING);
      assertThat(Files.exists(dir.resolve("dev/vol-b"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
  }

  @Test
  void theKernelMethodWithoutTheNbdModuleIsNotInstalledHere() throws Exception {
    Assumptions.assumeFalse(Files.isDirectory(Path.of("/sys/block/nbd15")), "this host has the nbd driver");
    Assumptions.assumeFalse(Files.isDirectory(Path.of("/sys/module/nbd")), "this host has the nbd driver");
    Path modprobe = List.of("/usr/sbin/modprobe", "/sbin/modprobe").stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(modprobe == null || Proc.run(30, modprobe.toString(), "--dry-run", "nbd").exit() != 0,
        "the nbd module could be loaded here");
    NbdAttachAgent agent = new NbdAttachAgent(dir.resolve("state"), dir);
    Map<String, String> params = Map.of("volume", "vol", "device", "/dev/nbd15", "link", dir.resolve("dev/vol").toString());
    Result r = run(agent, "start", params);
    assertThat(r.rc()).isEqualTo(OcfRc.ERR_INSTALLED);
    assertThat(r.out()).contains("this kernel has no /dev/nbd15").contains("use method loop");
    assertThat(run(agent, "monitor", params).rc()).isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(Files.exists(dir.resolve("dev/vol"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  /** Volume "vol" on nodes a (Primary) and b, connected. */
  private static final class Pair implements AutoCloseable {
    final ServeProcess a;
    final ServeProcess b;

    Pair(Path dir) throws Exception {
      Path key = VolumeCli.keyFile(dir.resolve("vol.key"), "attach-test-key-0123456789abcdef");
      int[] ports = FreePorts.sorted(2);
      a = serve(dir, "a", key, ports[0], ports[1], true);
      b = serve(dir, "b", key, ports[1], ports[0], false);
      await().atMost(Duration.ofSeconds(30)).until(() -> a.status().contains("role Primary") && a.status().contains("connection Connected")
          && b.status().contains("connection Connected"));
    }

    private static ServeProcess serve(Path dir, String node, Path key, int listen, int peer, boolean primary) throws Exception {
      List<String> args = new ArrayList<>(List.of("--name", "vol", "--backing", dir.resolve(node + ".img").toString(), "--size", "64M",
          "--listen", "127.0.0.1:" + listen, "--peer", "127.0.0.1:" + peer, "--key-file", key.toString()));
      if (primary) args.add("--primary");
      return new ServeProcess(node, dir, args);
    }

    @Override
    public void close() throws InterruptedException {
      try (ServeProcess x = a; ServeProcess y = b) {
        // both closed, also when one close fails
      }
    }
  }
}
