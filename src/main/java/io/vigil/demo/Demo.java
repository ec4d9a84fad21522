package io.vigil.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code vigil demo}: starts a local cluster of real daemons, applies the sample configuration,
 * shows where the group runs, kills that node and prints the measured recovery. The cluster is
 * left running; {@link #stop} tears it down.
 */
public final class Demo {
  /** How the node running the group fails. */
  public enum Fault {
    /** Power loss: the node's link goes down and every process of it dies (the default). */
    POWER,
    /** SIGKILL of its vigild only: the service keeps running there until its supervisor (or fencing) stops it. */
    DAEMON,
    /** SIGSTOP of its vigild: frozen, it cannot stop its service; its watchdog supervisor must. */
    FREEZE,
    /** Network partition: the node's cable is pulled, everything keeps running; healed after the recovery. */
    PARTITION,
    /** No fault: the cluster is formed, the group started, and left running (idle and soak tests). */
    NONE
  }

  /** What to run; {@code mode} is auto, netns or loopback. */
  public record Options(Path base, int nodes, String mode, Fault fault, boolean fast, boolean json, String netnsPrefix,
      boolean fencing, boolean witness) {
    public Options(Path base, int nodes, String mode, Fault fault, boolean fast, boolean json) {
      this(base, nodes, mode, fault, fast, json, DemoLayout.NS_PREFIX, true);
    }

    public Options(Path base, int nodes, String mode, Fault fault, boolean fast, boolean json, String netnsPrefix,
        boolean fencing) {
      this(base, nodes, mode, fault, fast, json, netnsPrefix, fencing, false);
    }
  }

  private final Options opt;
  private final Launcher launcher;
  private final PrintStream out;
  private final Consumer<Path> showStatus;
  private final Commands cmd = new Commands();
  private final long t0 = System.nanoTime();

  /**
   * @param mainClass the CLI's main class, to start daemons and helpers with
   * @param quickJit run the daemons with the quick JIT ({@link Launcher#QUICK_JIT}), as the fast
   *     settings recommend
   * @param showStatus prints {@code vigil status} for a node's state directory
   */
  public Demo(Options opt, String mainClass, boolean quickJit, PrintStream out, Consumer<Path> showStatus) {
    this(opt, Launcher.current(mainClass).withDaemonFlags(quickJit ? Launcher.QUICK_JIT : java.util.List.of()), out, showStatus);
  }

  Demo(Options opt, Launcher launcher, PrintStream out, Consumer<Path> showStatus) {
    this.opt = opt;
    this.launcher = launcher;
    this.out = out;
    this.showStatus = showStatus;
  }

  /** Runs the whole demo; returns the measured failover (null with {@link Fault#NONE}). */
  public FailoverTimeline run() throws IOException, InterruptedException {
    Path base = opt.base().toAbsolutePath();
    refuseIfRunning(base);
    DemoLayout layout = layout(base);
    Files.createDirectories(base);
    Files.writeString(layout.serviceScript(), serviceScript());
    boolean netns = layout.mode() == DemoLayout.Mode.NETNS;
    // As root the service runs as the demo's own account, if that account can reach the directory.
    boolean unprivileged = "root".equals(System.getProperty("user.name")) && DemoUser.canReach(base);
    if ("root".equals(System.getProperty("user.name")) && !unprivileged) {
      step("note: %s is not readable by other users: the service runs as root", base);
    }
    DemoState state = new DemoState(layout.mode().name(), opt.netnsPrefix(), layout.nodes().size(), System.currentTimeMillis(),
        java.util.Map.of(), false);
    state.save(layout.stateFile());
    boolean root = unprivileged;
    if (root) {
      state = new DemoState(state.mode(), state.prefix(), state.nodes(), state.startedMillis(), state.daemons(), DemoUser.ensure(cmd));
      state.save(layout.stateFile());
    }
    String yaml = DemoConfig.yaml(layout, opt.fast(), netns && opt.fencing(),
        root ? Optional.of(DemoUser.NAME) : Optional.empty(), opt.witness());
    Files.writeString(layout.configFile(), yaml);
    if (netns) {
      new NetnsLab(layout, cmd).up();
      step("network namespaces %s-h1..h%d and %s on a private bridge (10.77.0.0/24)", opt.netnsPrefix(),
          layout.nodes().size(), layout.clientNamespace());
    }
    DemoCluster cluster = new DemoCluster(layout, launcher);
    DemoLayout.Node first = layout.nodes().getFirst();
    state = state.withDaemon(first.name(), cluster.init());
    state.save(layout.stateFile());
    step("cluster created on %s (%s), daemon started", first.name(), first.raftAddress());
    for (DemoLayout.Node n : layout.nodes().subList(1, layout.nodes().size())) {
      state = state.withDaemon(n.name(), cluster.join(n));
      state.save(layout.stateFile());
      step("%s joined with a one-time token (%s), daemon started", n.name(), n.raftAddress());
    }
    long lastJoin = System.nanoTime();
    String leader = cluster.awaitLeader(layout.nodes());
    step("%d nodes agree: leader %s, mutual TLS between all of them", layout.nodes().size(), leader);
    long epoch = cluster.apply(first, yaml);
    step("configuration applied (epoch %d): group %s = %s%s (ocf:heartbeat:anything)", epoch, DemoConfig.GROUP,
        netns ? "web-ip (" + layout.floatingCidr() + ") + " : "", DemoConfig.SERVICE);
    String[] where = new String[1];
    DemoCluster.await("the group runs on one node",
        () -> (where[0] = cluster.runningOn(first, DemoConfig.SERVICE).orElse(null)) != null, () -> false);
    DemoLayout.Node victim = layout.node(where[0]);
    Path probeLog = base.resolve("probe.log");
    Process prober = startProber(layout, probeLog);
    try {
      DemoCluster.await("a client gets answers from " + victim.name() + " at " + layout.url(),
          () -> answers(probeLog).stream().filter(p -> p.ok() && p.node().equals(victim.name())).count() >= 5, () -> !prober.isAlive());
      step("%s answers \"served by %s\" (a client probes it every 10 ms)", layout.url(), victim.name());
      out.println();
      showStatus.accept(first.stateDir());
      out.println();
      if (opt.fault() == Fault.NONE) {
        out.println("The cluster keeps running. Status: bin/vigil status --state-dir " + first.stateDir()
            + "; stop: bin/vigil demo --stop" + (opt.base().equals(defaultBase()) ? "" : " --dir " + layout.base()));
        return null;
      }
      // Fault one node of a healthy cluster only: on a loaded machine a node may just have been
      // declared lost (and fenced); faulting another then leaves no quorum, which is no failover.
      DemoCluster.await("every node is online before the fault", () -> allOnline(cluster, first), () -> false);
      // A member added less than JOIN_GRACE ago is not declared lost (it may be catching up): the
      // fault waits for that, or the figures would measure the grace, not a failover.
      long graceLeft = (lastJoin + io.vigil.cluster.daemon.Daemon.JOIN_GRACE.toNanos() - System.nanoTime()) / 1_000_000;
      if (graceLeft > 0) {
        step("waiting %.1f s: %s joined less than %d s ago and is still in its join grace", graceLeft / 1000.0,
            layout.nodes().getLast().name(), io.vigil.cluster.daemon.Daemon.JOIN_GRACE.toSeconds());
        Thread.sleep(graceLeft + 200);
      }
      FailoverTimeline t = failover(layout, cluster, state, victim, probeLog);
      report(layout, t);
      return t;
    } finally {
      Files.writeString(probeLog.resolveSibling("probe.log.stop"), "");
      if (!prober.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) prober.destroyForcibly();
    }
  }

  private static boolean allOnline(DemoCluster cluster, DemoLayout.Node viewer) {
    var members = cluster.status(viewer).path("members");
    if (members.isEmpty()) return false;
    for (var m : members) {
      if (!m.path("state").asText().equals("ONLINE")) return false;
    }
    return true;
  }

  private FailoverTimeline failover(DemoLayout layout, DemoCluster cluster, DemoState state, DemoLayout.Node victim, Path probeLog)
      throws IOException, InterruptedException {
    List<DemoLayout.Node> survivors = layout.nodes().stream().filter(n -> !n.equals(victim)).toList();
    ServiceWatch.Sampling watch = new ServiceWatch(layout).start();
    Thread.sleep(200); // a few samples before the fault
    long faultMillis = System.currentTimeMillis();
    long faultNanos = System.nanoTime();
    fault(layout, state, victim);
    step("%s", switch (opt.fault()) {
      case POWER -> "POWER LOSS of " + victim.name() + " (its link down, every process of it killed)";
      case DAEMON -> "SIGKILL of the daemon of " + victim.name() + " (its service keeps running)";
      case FREEZE -> "SIGSTOP of the daemon of " + victim.name() + " (frozen; its service keeps running)";
      default -> "NETWORK PARTITION: " + victim.name() + "'s cable pulled (everything on it keeps running)";
    });
    DemoLayout.Node viewer = survivors.getFirst();
    DemoCluster.await("the service answers from another node",
        () -> answers(probeLog).stream().anyMatch(p -> p.startNanos() >= faultNanos && p.ok() && !p.node().equals(victim.name())),
        () -> false);
    Thread.sleep(1000); // keep watching: an old instance that came back would show now
    if (opt.fault() == Fault.PARTITION) {
      new NetnsLab(layout, cmd).cable(victim, true);
      DemoCluster.await(victim.name() + " rejoins after the partition healed",
          () -> cluster.status(viewer).path("members").findValues("state").stream().noneMatch(s -> !s.asText().equals("ONLINE")),
          () -> false);
      step("partition healed: %s is back online", victim.name());
      Thread.sleep(2000); // and watch the rejoin: nothing may run twice
    }
    List<FailoverTimeline.Sample> samples = watch.stop();
    var events = cluster.history(viewer, faultMillis - 1000);
    FailoverTimeline t = FailoverTimeline.of(victim.name(), faultMillis, faultNanos, DemoConfig.SERVICE, events, answers(probeLog), samples);
    // The service may answer before its start's result is committed, and the viewer's copy of the
    // history may lag behind the leader's on a loaded machine: read it again until the start is in it.
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (t.recoveredMs() < 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(200);
      events = cluster.history(viewer, faultMillis - 1000);
      t = FailoverTimeline.of(victim.name(), faultMillis, faultNanos, DemoConfig.SERVICE, events, answers(probeLog), samples);
    }
    step("recovered on %s", t.newNode());
    return t;
  }

  private void fault(DemoLayout layout, DemoState state, DemoLayout.Node victim) throws IOException {
    Optional<ProcessHandle> daemon = Optional.ofNullable(state.daemons().get(victim.name())).flatMap(ProcessHandle::of);
    if (opt.fault() == Fault.PARTITION) {
      new NetnsLab(layout, cmd).cable(victim, false);
    } else if (opt.fault() == Fault.DAEMON) {
      daemon.ifPresent(ProcessHandle::destroyForcibly);
    } else if (opt.fault() == Fault.FREEZE) {
      if (daemon.isPresent()) cmd.run("kill", "-STOP", Long.toString(daemon.get().pid()));
    } else if (layout.mode() == DemoLayout.Mode.NETNS) {
      new NetnsLab(layout, cmd).powerOff(victim);
    } else {
      daemon.ifPresent(ProcessHandle::destroyForcibly);
      ServiceWatch.livePid(victim).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private void report(DemoLayout layout, FailoverTimeline t) {
    out.println();
    out.printf("Failover of the group from %s to %s (%s, %s settings%s%s):%n", t.victim(), t.newNode(),
        opt.fault().name().toLowerCase(java.util.Locale.ROOT), opt.fast() ? "fast" : "default", opt.fencing() ? "" : ", fencing off",
        launcher.quickJit() ? ", quick JIT" : "");
    row("detected", t.detectedMs(), "the leader marked " + t.victim() + " lost (node-timeout)");
    if (layout.mode() == DemoLayout.Mode.NETNS && opt.fencing()) row("fenced", t.fencedMs(), "lab fence device: link down, processes killed");
    else out.println("  fenced              -     fencing off: recovery waited for the lost node's lease (it stops its own resources,"
        + " or its watchdog supervisor does)");
    row("recovered", t.recoveredMs(), DemoConfig.SERVICE + " started on " + t.newNode());
    row("total", t.totalMs(), "fault -> first answer from " + t.newNode() + " seen by the client");
    out.printf("  %-14s %6d ms  %s%n", "dual-active", t.dualActiveMs(), "service alive on two nodes at once (sampled every 10 ms)");
    out.println();
    DemoLayout.Node alive = layout.nodes().stream().filter(n -> !n.name().equals(t.victim())).findFirst().orElseThrow();
    showStatus.accept(alive.stateDir());
    out.println();
    out.println("The cluster keeps running (" + t.victim() + " stays down). Try:");
    out.println("  bin/vigil status --state-dir " + alive.stateDir());
    out.println("  bin/vigil history --state-dir " + alive.stateDir());
    out.println("  bin/vigil resource move " + DemoConfig.GROUP + " " + layout.nodes().stream().map(DemoLayout.Node::name)
        .filter(n -> !n.equals(t.victim()) && !n.equals(t.newNode())).findFirst().orElse("NODE") + " --state-dir " + alive.stateDir());
    out.println("  logs: " + layout.base() + "/*.log");
    out.println("Stop it all: bin/vigil demo --stop" + (opt.base().equals(defaultBase()) ? "" : " --dir " + layout.base()));
    if (opt.json()) {
      out.println(t.json(layout.mode().name().toLowerCase(java.util.Locale.ROOT), opt.fault().name().toLowerCase(java.util.Locale.ROOT),
          java.util.Map.of("settings", opt.fast() ? "fast" : "default", "jit", launcher.quickJit() ? "quick" : "tiered")));
    }
  }

  private void row(String what, long ms, String meaning) {
    out.printf("  %-14s %6s ms  %s%n", what, ms < 0 ? "-" : Long.toString(ms), meaning);
  }

  private void step(String format, Object... args) {
    out.printf("[%5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, String.format(format, args));
    out.flush();
  }

  private DemoLayout layout(Path base) throws IOException {
    boolean netns = switch (opt.mode()) {
      case "netns" -> {
        if (!NetnsLab.available(cmd)) throw new IOException("--mode netns: cannot create network namespaces here (root needed)");
        yield true;
      }
      case "loopback" -> false;
      case "auto" -> NetnsLab.available(cmd);
      default -> throw new IllegalArgumentException("--mode '" + opt.mode() + "': expected auto, netns or loopback");
    };
    if (!netns && (opt.fault() == Fault.DAEMON || opt.fault() == Fault.FREEZE || opt.fault() == Fault.PARTITION)) {
      throw new IllegalArgumentException("--fault " + opt.fault().name().toLowerCase(java.util.Locale.ROOT)
          + " needs network namespaces (root); use --fault power");
    }
    if (netns) return DemoLayout.netns(base, opt.nodes(), opt.netnsPrefix());
    int[] ports = new int[opt.nodes() + 1];
    for (int i = 0; i < ports.length; i++) ports[i] = Ports.freePair(java.util.Arrays.copyOf(ports, i));
    out.println("Network namespaces are not available (not root?): the demo runs on loopback ports, without a floating IP"
        + " and without fencing.");
    return DemoLayout.loopback(base, opt.nodes(), ports);
  }

  private Process startProber(DemoLayout layout, Path log) throws IOException {
    List<String> args = List.of("demo", "probe", "--target", layout.serviceHost() + ":" + layout.servicePort(), "--out", log.toString(),
        "--duration", "10m");
    return launcher.prober(layout.clientNamespace(), args, layout.base().resolve("prober.log").toFile());
  }

  private static List<Probe> answers(Path log) {
    try {
      return Probe.parseAll(Files.readAllLines(log, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String serviceScript() throws IOException {
    try (var in = Demo.class.getResourceAsStream("demo-service.py")) {
      if (in == null) throw new IOException("demo-service.py missing from the Vigil jar");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** {@code /tmp/vigil-demo} (under $TMPDIR if set). */
  public static Path defaultBase() {
    String tmp = System.getenv().getOrDefault("TMPDIR", "/tmp");
    return Path.of(tmp.isEmpty() ? "/tmp" : tmp, "vigil-demo");
  }

  private void refuseIfRunning(Path base) throws IOException, InterruptedException {
    Optional<DemoState> old = DemoState.load(base.resolve("demo.json"));
    if (old.isEmpty()) {
      if (Files.exists(base) && !isEmpty(base)) {
        throw new IOException(base + " exists and is not a demo directory; choose another with --dir");
      }
      return;
    }
    boolean alive = old.get().daemons().entrySet().stream().anyMatch(e -> DemoState.isDaemon(e.getValue(), base.resolve(e.getKey())));
    if (alive) {
      throw new IOException("a demo is already running in " + base + "; stop it first: bin/vigil demo --stop"
          + (base.equals(defaultBase()) ? "" : " --dir " + base));
    }
    stop(base, new PrintStream(java.io.OutputStream.nullOutputStream())); // a stale demo: its daemons are gone
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /**
   * Tears down the demo in {@code base}: daemons (TERM, then KILL after 5 s), the service, the
   * namespaces and the directory. Safe to run twice, or when the demo failed half-way.
   */
  public static void stop(Path base, PrintStream out) throws IOException, InterruptedException {
    base = base.toAbsolutePath();
    Optional<DemoState> state = DemoState.load(base.resolve("demo.json"));
    if (state.isEmpty()) {
      out.println("no demo in " + base + " (nothing to stop)");
      return;
    }
    Commands cmd = new Commands();
    List<ProcessHandle> daemons = new ArrayList<>();
    for (var e : state.get().daemons().entrySet()) {
      if (DemoState.isDaemon(e.getValue(), base.resolve(e.getKey()))) ProcessHandle.of(e.getValue()).ifPresent(daemons::add);
    }
    daemons.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    for (ProcessHandle h : daemons) {
      while (h.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
      if (h.isAlive()) h.destroyForcibly();
    }
    DemoLayout layout = state.get().mode().equals("NETNS") ? DemoLayout.netns(base, state.get().nodes(), state.get().prefix())
        : DemoLayout.loopback(base, state.get().nodes(), new int[state.get().nodes() + 1]);
    for (DemoLayout.Node n : layout.nodes()) ServiceWatch.livePid(n).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    // the daemons' resource cgroups, emptied by the service's end (and their supervisors)
    for (DemoLayout.Node n : layout.nodes()) {
      io.vigil.exec.ResourceCgroups.removeEmpty(io.vigil.exec.ResourceCgroups.nameFor(n.name(), n.stateDir()), Duration.ofSeconds(3));
    }
    if (layout.mode() == DemoLayout.Mode.NETNS) new NetnsLab(layout, cmd).down();
    if (state.get().createdUser()) DemoUser.removeIfUnused(cmd);
    deleteTree(base);
    out.println("demo stopped: " + daemons.size() + " daemon(s), its service" + (layout.mode() == DemoLayout.Mode.NETNS ? ", namespaces" : "")
        + " and " + base + " removed");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
