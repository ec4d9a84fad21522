package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.agents.volume.control.ControlClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code builtin:volume} under three real daemons: a promotable clone on a and b (c is the third
 * vote), a service colocated with the Primary and started after the promotion. It comes up with one
 * Primary and one connected Secondary, the service on the Primary, and rests; data written through
 * NBD on the Primary survives the power loss of that node (its daemon and its volume process killed
 * with SIGKILL, a lab fence device confirming it): the Secondary is promoted, the service follows,
 * the data reads back there; the old Primary returns as Secondary and resyncs. A poller checks the
 * volume processes and the cluster status throughout: never two Primaries.
 */
@Tag("slow")
class VolumeFailoverThroughClusterTest {
  static final List<String> NODES = List.of("a", "b", "c");
  static final Duration WAIT = Duration.ofSeconds(90);
  static final Pattern ROLE = Pattern.compile("role (Primary|Secondary), disk (\\w+), connection (\\w+)");
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  @Test
  void thePrimarysPowerLossPromotesTheSecondaryTheServiceFollowsAndTheDataIsThere() throws Exception {
    List<String> violations = new CopyOnWriteArrayList<>();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    try (LocalCluster cluster = new LocalCluster(root, NODES)) {
      this.cluster = cluster;
      try {
        // each node its own /run, so the OCF Dummy service's state file says where it runs
        for (String n : NODES) cluster.daemonArgs.put(n, List.of("--agent-run-dir", root.resolve("run-" + n).toString()));
        cluster.form();
        System.out.println("daemon logs in " + root);
        Files.writeString(cfgFile(), config(root, ""));
        assertThat(cluster.cli("apply", "-f", cfgFile().toString(), "--reason", "volume test", "--state-dir",
            cluster.dirs.get("a").toString())).as(cluster.lastOutput).isZero();
        long t0 = System.nanoTime();
        poller.scheduleWithFixedDelay(() -> checkAtMostOnePrimary(cluster, violations, t0), 0, 100, TimeUnit.MILLISECONDS);

        // Up: one Primary (the copy whose agent set the higher promotion score first), the other
        // Secondary, connected, both scored as UpToDate and connected, the service on the Primary.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("one Primary, one Secondary, connected, svc on the Primary")
            .until(() -> primaryAndSecondary(cluster) != null && svcOn(cluster).equals(List.of(primaryAndSecondary(cluster)[0])));
        String[] ps = primaryAndSecondary(cluster);
        String p = ps[0];
        String s = ps[1];
        awaitRest(cluster, "after the first start");
        assertThat(role(cluster, p)).startsWith("Primary");
        assertThat(svcOn(cluster)).containsExactly(p);
        assertThat(volRoles(cluster, "c")).containsExactlyInAnyOrder(p + " Promoted", s + " Unpromoted");
        assertThat(scores(cluster)).as("promotion scores set by the agents").isEqualTo(java.util.Map.of(p, "10000", s, "10000"));

        // Data through NBD on the Primary.
        byte[] data = new byte[8 << 20];
        new Random(6).nextBytes(data);
        Path in = root.resolve("in.bin");
        Files.write(in, data);
        run(60, "nbdcopy", "--flush", in.toString(), nbd(cluster, p));

        // Power loss of the Primary: its daemon and its volume process, at once; the lab fence device confirms.
        long killedAt = System.nanoTime();
        powerOff(cluster, p);
        // /run is a tmpfs: a power loss empties it (the Dummy service's state file with it)
        try (var files = Files.walk(runDir(cluster, p))) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).alias(s + " becomes Primary")
            .until(() -> role(cluster, s).startsWith("Primary UpToDate"));
        long primaryMs = (System.nanoTime() - killedAt) / 1_000_000;
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).alias("svc follows to " + s)
            .until(() -> svcOn(cluster).equals(List.of(s)));
        long svcMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("volume failover: " + s + " Primary " + primaryMs + " ms, svc started on " + s + " " + svcMs
            + " ms after the kill of " + p);
        assertThat(Files.readString(root.resolve("fence-calls.log"))).contains("plug=" + p);
        Path out = root.resolve("out.bin");
        run(60, "nbdcopy", nbd(cluster, s), out.toString());
        assertThat(sha256(Files.readAllBytes(out), data.length)).as("data written on " + p + " before the kill, read on " + s)
            .isEqualTo(sha256(data, data.length));

        // Written while p is away, so the returning p has something to resync.
        byte[] more = new byte[4 << 20];
        new Random(7).nextBytes(more);
        Path in2 = root.resolve("in2.bin");
        Files.write(in2, more);
        run(60, "nbdcopy", "--flush", in2.toString(), nbd(cluster, s));

        // p returns: Secondary, resyncs, identical copies; s stays Primary (stickiness), svc stays on s.
        cluster.start(p);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias(p + " back as Secondary, UpToDate, connected")
            .until(() -> role(cluster, p).startsWith("Secondary UpToDate Connected")
                && role(cluster, s).startsWith("Primary UpToDate Connected"));
        System.out.println("after the return:\n" + volumeStatus(cluster, p) + "\n" + volumeStatus(cluster, s));
        // only the regions s changed and p's activity log, not the whole 32 MiB
        Matcher resynced = Pattern.compile("resynced ([0-9.]+) MiB").matcher(volumeStatus(cluster, p));
        assertThat(resynced.find()).as(volumeStatus(cluster, p)).isTrue();
        assertThat(Double.parseDouble(resynced.group(1))).as("MiB resynced to " + p).isBetween(4.0, 31.0);
        awaitRest(cluster, "after " + p + " returned");
        assertThat(role(cluster, s)).startsWith("Primary");
        assertThat(svcOn(cluster)).containsExactly(s);
        await().atMost(WAIT).alias("both scored again").until(() -> scores(cluster).equals(java.util.Map.of(p, "10000", s, "10000")));
        assertThat(sha256(Files.readAllBytes(backing(cluster, p)), Integer.MAX_VALUE)).as(p + "'s copy after the resync")
            .isEqualTo(sha256(Files.readAllBytes(backing(cluster, s)), Integer.MAX_VALUE));
        assertThat(violations).as("never two Primaries").isEmpty();
        assertThat(events(cluster, "FAILURE")).as("no operation failed (a promoted volume's monitors saw what they expect)").isEmpty();
      } catch (Throwable t) {
        printHistory();
        throw t;
      }
    } finally {
      poller.shutdownNow();
      for (String n : List.of("a", "b")) killVolume(root.resolve(n));
    }
  }

  private LocalCluster cluster;


  /** The replicated history as a surviving daemon has it, for the reader of a failed run. */
  private void printHistory() {
    printHistory(cluster);
  }

  /** The replicated history as a surviving daemon has it, for the reader of a failed run. */
  static void printHistory(LocalCluster cluster) {
    for (String viewer : List.of("c", "b", "a")) {
      try {
        JsonNode h = cluster.call(viewer, cluster.json.createObjectNode().put("op", "history").put("limit", 10_000));
        System.out.println("history as " + viewer + " has it:");
        for (JsonNode e : h.path("events")) {
          System.out.println("  " + java.time.Instant.ofEpochMilli(e.path("timeMillis").asLong()) + " " + e.path("kind").asText()
              + " " + e.path("node").asText() + " " + e.path("resource").asText() + " " + e.path("text").asText());
        }
        System.out.println(cluster.status(viewer).toPrettyString());
        return;
      } catch (IOException | RuntimeException e) {
        // try the next node
      }
    }
  }

  private Path cfgFile() {
    return root.resolve("cluster.yaml");
  }

  /** The cluster configuration (files under {@code root}); {@code volParams} adds ", key: value" pairs to the volume's params. */
  /**
   * Forms the three daemons (each its own agent run directory), applies the volume group with
   * {@code volParams} and starts the at-most-one-Primary poller; returns {Primary, Secondary} once
   * they are connected and the cluster is at rest.
   */
  static String[] formWithVolume(LocalCluster cluster, Path root, String volParams, String reason,
      ScheduledExecutorService poller, List<String> violations) throws IOException {
    for (String n : NODES) cluster.daemonArgs.put(n, List.of("--agent-run-dir", root.resolve("run-" + n).toString()));
    cluster.form();
    Path cfg = root.resolve("cluster.yaml");
    Files.writeString(cfg, config(root, volParams));
    assertThat(cluster.cli("apply", "-f", cfg.toString(), "--reason", reason, "--state-dir",
        cluster.dirs.get("a").toString())).as(cluster.lastOutput).isZero();
    long t0 = System.nanoTime();
    poller.scheduleWithFixedDelay(() -> checkAtMostOnePrimary(cluster, violations, t0), 0, 100, TimeUnit.MILLISECONDS);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("one Primary, one Secondary, connected")
        .until(() -> primaryAndSecondary(cluster) != null);
    String[] ps = primaryAndSecondary(cluster);
    awaitRest(cluster, "after the first start");
    return ps;
  }

  /**
   * Cuts the Secondary's peer link (StandAlone, it does not reconnect) and waits until the Primary
   * has recorded it Outdated in the cluster and its agent has told the copy.
   */
  static void outdateSecondary(LocalCluster cluster, String p, String s) throws IOException {
    Path sock = volumeDir(cluster.dirs.get(s)).resolve("volume-vol.sock");
    assertThat(ControlClient.send(sock, "disconnect").ok()).isTrue();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias(s + " recorded Outdated by " + p + ", no score")
        .until(() -> attribute(cluster, "no-promote-vol").getOrDefault(s, "").endsWith(" by " + p)
            && !attribute(cluster, "master-vol").containsKey(s));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias(s + "'s agent tells its copy: Outdated")
        .until(() -> role(cluster, s).equals("Secondary Outdated StandAlone"));
  }

  static String config(Path root, String volParams) throws IOException {
    Path key = root.resolve("vol.key");
    Files.writeString(key, "0123456789abcdef0123456789abcdef");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path calls = root.resolve("fence-calls.log");
    Path device = root.resolve("fence-lab.sh");
    // The node is already powered off by the test; the device records the request and confirms.
    Files.writeString(device, "#!/bin/sh\nwhile read -r line; do echo \"$line\" >> " + calls + "; done\nexit 0\n");
    Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rwxr-xr-x"));
    int[] ports = {io.vigil.demo.Ports.freePair(), io.vigil.demo.Ports.freePair()};
    return """
        cluster: demo
        properties: {fencing-enabled: true}
        resource-defaults: {resource-stickiness: 100}
        nodes: [{name: a}, {name: b}, {name: c}]
        resources:
          - primitive: fence-lab
            agent: stonith:script
            params: {path: %s, pcmk_host_list: "a b c"}
          - clone: vol-clone
            meta: {promotable: true, clone-max: 2, promoted-max: 1}
            resource:
              primitive: vol
              agent: builtin:volume
              params: {name: vol, backing: vol.img, size: 32M, addresses: "a=127.0.0.1:%d,b=127.0.0.1:%d", key-file: %s%s}
              operations:
                - {name: monitor, interval: 2s, role: Promoted}
                - {name: monitor, interval: 3s, role: Unpromoted}
          - primitive: svc
            agent: ocf:heartbeat:Dummy
            operations: [{name: monitor, interval: 2s}]
        constraints:
          - {location: vol-not-on-c, resource: vol-clone, node: c, score: -INFINITY}
          - {colocation: svc-with-primary, resource: svc, with: vol-clone, with-role: Promoted, score: INFINITY}
          - {order: primary-then-svc, first: vol-clone, first-action: promote, then: svc, then-action: start}
        """.formatted(device, ports[0], ports[1], key, volParams);
  }

  /** The node's /run (the daemon's --agent-run-dir): OCF agents keep their state there. */
  static Path runDir(LocalCluster cluster, String node) {
    return cluster.dirs.get(node).resolveSibling("run-" + node);
  }

  static Path volumeDir(Path stateDir) {
    return stateDir.resolve("builtin").resolve("volume");
  }

  static Path backing(LocalCluster cluster, String node) {
    return volumeDir(cluster.dirs.get(node)).resolve("vol.img");
  }

  static String nbd(LocalCluster cluster, String node) {
    return "nbd+unix:///vol?socket=" + volumeDir(cluster.dirs.get(node)).resolve("vol.nbd");
  }

  /** The volume process's own status text on {@code node}, or "" when it does not answer. */
  static String volumeStatus(LocalCluster cluster, String node) {
    return volumeStatus(cluster.dirs.get(node));
  }

  static String volumeStatus(Path stateDir) {
    Path sock = volumeDir(stateDir).resolve("volume-vol.sock");
    if (!Files.exists(sock)) return "";
    try {
      ControlClient.Reply r = ControlClient.send(sock, "status");
      return r.ok() ? r.text() : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** "ROLE DISK CONNECTION" of the volume on {@code node}, or "" when its process does not answer. */
  static String role(LocalCluster cluster, String node) {
    Matcher m = ROLE.matcher(volumeStatus(cluster, node));
    return m.find() ? m.group(1) + " " + m.group(2) + " " + m.group(3) : "";
  }

  /** {primary, secondary} when one volume process is Primary and the other Secondary, both UpToDate and connected; else null. */
  static String[] primaryAndSecondary(LocalCluster cluster) {
    for (String[] ps : new String[][] {{"a", "b"}, {"b", "a"}}) {
      if (role(cluster, ps[0]).equals("Primary UpToDate Connected") && role(cluster, ps[1]).equals("Secondary UpToDate Connected")) {
        return ps;
      }
    }
    return null;
  }

  /** The promotion scores (master-vol) the agents set, node to value, as c's replicated state has them. */
  static java.util.Map<String, String> scores(LocalCluster cluster) throws IOException {
    return attribute(cluster, "master-vol");
  }

  /** One node attribute on every node, node to value, as c has it. */
  static java.util.Map<String, String> attribute(LocalCluster cluster, String name) throws IOException {
    JsonNode r = cluster.call("c", cluster.json.createObjectNode().put("op", "node-attribute").put("action", "query").put("name", name)
        .put("all", true));
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (JsonNode v : r.path("values")) out.put(v.path("node").asText(), v.path("value").asText());
    return out;
  }

  static List<String> svcOn(LocalCluster cluster) {
    return NODES.stream().filter(n -> Files.exists(runDir(cluster, n).resolve("resource-agents").resolve("Dummy-svc.state"))).toList();
  }

  /** "NODE ROLE[ FAILED]" of every instance of the volume clone in {@code viewer}'s cluster status. */
  static List<String> volRoles(LocalCluster cluster, String viewer) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : cluster.status(viewer).path("resources")) {
      if (!r.path("instance").asText().startsWith("vol")) continue;
      String failed = r.path("failed").asBoolean() ? " FAILED" : "";
      for (var e : r.path("runningOn").properties()) out.add(e.getKey() + " " + e.getValue().asText() + failed);
    }
    return out;
  }

  /**
   * Never two Primaries: neither in the volume processes nor in any daemon's status of the clone.
   * A failed promotion shows as "Promoted FAILED" in the status (the cluster then demotes or stops
   * it; the process is not Primary): it does not count, the processes' own roles do.
   */
  static void checkAtMostOnePrimary(LocalCluster cluster, List<String> violations, long t0) {
    try {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      List<String> primaries = new ArrayList<>();
      for (String n : List.of("a", "b")) if (role(cluster, n).startsWith("Primary")) primaries.add(n);
      if (primaries.size() > 1) violations.add("at " + ms + " ms: volume processes Primary on " + primaries);
      for (String viewer : NODES) {
        if (!cluster.procs.containsKey(viewer) || !cluster.procs.get(viewer).isAlive()) continue;
        List<String> roles = volRoles(cluster, viewer);
        if (roles.stream().filter(r -> r.endsWith(" Promoted")).count() > 1) {
          violations.add("at " + ms + " ms: " + viewer + "'s status " + roles);
        }
      }
    } catch (RuntimeException e) {
      // a daemon restarting mid-poll: the next poll looks again
    }
  }

  /**
   * Waits (bounded) until the replicated history has had no new action or failure for three
   * monitor intervals, then checks that the whole history is small (a loop makes thousands).
   */
  static void awaitRest(LocalCluster cluster, String when) {
    long[] last = {-1, System.nanoTime()};
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).alias("the cluster rests " + when)
        .until(() -> {
          long n = actionEvents(cluster);
          if (n != last[0]) {
            last[0] = n;
            last[1] = System.nanoTime();
          }
          return n >= 0 && System.nanoTime() - last[1] >= Duration.ofSeconds(8).toNanos();
        });
    System.out.println("rests " + when + " after " + last[0] + " action/failure events");
    assertThat(last[0]).as("actions and failures recorded " + when).isLessThan(150);
  }

  static long actionEvents(LocalCluster cluster) {
    for (String viewer : List.of("c", "b", "a")) {
      if (!cluster.procs.containsKey(viewer) || !cluster.procs.get(viewer).isAlive()) continue;
      try {
        JsonNode h = cluster.call(viewer, cluster.json.createObjectNode().put("op", "history").put("limit", 10_000));
        long n = 0;
        for (JsonNode e : h.path("events")) {
          String k = e.path("kind").asText();
          if (k.equals("ACTION") || k.equals("FAILURE")) n++;
        }
        return n;
      } catch (IOException e) {
        // try the next node
      }
    }
    return -1;
  }

  /** "NODE RESOURCE TEXT" of the replicated history's events of one kind, as c has them. */
  static List<String> events(LocalCluster cluster, String kind) throws IOException {
    List<String> out = new ArrayList<>();
    JsonNode h = cluster.call("c", cluster.json.createObjectNode().put("op", "history").put("limit", 10_000));
    for (JsonNode e : h.path("events")) {
      if (e.path("kind").asText().equals(kind)) out.add(e.path("node").asText() + " " + e.path("resource").asText() + " " + e.path("text").asText());
    }
    return out;
  }

  /** The power loss of {@code node}: its daemon and its volume process SIGKILLed at once; returns when both are gone. */
  static void powerOff(LocalCluster cluster, String node) throws IOException, InterruptedException {
    long volPid = volumePid(cluster, node);
    cluster.procs.get(node).destroyForcibly();
    ProcessHandle.of(volPid).ifPresent(ProcessHandle::destroyForcibly);
    cluster.procs.get(node).waitFor();
    ProcessHandle.of(volPid).ifPresent(h -> h.onExit().join());
  }

  /** The volume process of {@code node} SIGKILLed alone (its daemon keeps running); returns when it is gone. */
  static void killVolumeProcess(LocalCluster cluster, String node) throws IOException {
    ProcessHandle h = ProcessHandle.of(volumePid(cluster, node)).orElseThrow();
    h.destroyForcibly();
    h.onExit().join();
  }

  static long volumePid(LocalCluster cluster, String node) throws IOException {
    return Long.parseLong(Files.readString(volumeDir(cluster.dirs.get(node)).resolve("volume-vol.pid")).strip());
  }

  /** Kills the volume process a daemon left behind (the daemons' own children outlive them). */
  static void killVolume(Path stateDir) {
    try {
      Path pid = volumeDir(stateDir).resolve("volume-vol.pid");
      if (Files.exists(pid)) {
        long p = Long.parseLong(Files.readString(pid).strip());
        // only our serve process (a recycled pid is left alone); /proc's cmdline has every argument
        Path cmdline = Path.of("/proc", Long.toString(p), "cmdline");
        if (Files.exists(cmdline) && new String(Files.readAllBytes(cmdline)).contains(stateDir.toString())) {
          ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // nothing to clean up
    }
  }

  static String sha256(byte[] b, int len) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    d.update(b, 0, Math.min(len, b.length));
    return HexFormat.of().formatHex(d.digest());
  }

  static void run(int timeoutSeconds, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) p.destroyForcibly();
    String out = new String(p.getInputStream().readAllBytes());
    if (!done) {
      throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s: " + out);
    }
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
