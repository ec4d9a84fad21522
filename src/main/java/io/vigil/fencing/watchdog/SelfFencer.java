package io.vigil.fencing.watchdog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's self-fencing driver: opens the watchdog when the node first holds a lease, feeds it by
 * {@link FeedingPolicy}, re-arms a supervisor that fired once the node may feed again, and keeps the
 * supervisor's targets (the process groups and addresses each resource left running) up to date.
 *
 * <p>On an orderly shutdown ({@link #close}) the watchdog is disarmed only when no resource is registered any
 * more; otherwise it is left to act, because the survivors will take what is still running over once this
 * node's lease ends. Thread-safe: the feeding thread and the executor's workers call it concurrently.
 */
public final class SelfFencer implements AutoCloseable {
  /** Opens the watchdog (arming it). */
  @FunctionalInterface
  public interface Opener {
    WatchdogFeeder open() throws IOException;
  }

  private final Opener opener;
  private final java.time.Duration timeout;
  private final Map<String, Set<Long>> groups = new LinkedHashMap<>();
  private final Map<String, Set<java.nio.file.Path>> cgroups = new LinkedHashMap<>();
  private final Map<String, Set<Address>> addresses = new LinkedHashMap<>();
  private WatchdogFeeder feeder;
  private SupervisorTargets targets;
  private boolean lostFeeder;
  /** Why the watchdog is disarmed (the node leaves its resources alone), or null when it is armed. */
  private String suspended;
  private String status = "not armed yet (armed once this node holds a lease)";

  /** An address the supervisor removes; {@code netns} null for the daemon's own namespace. */
  public record Address(String netns, String device, String cidr) {}

  private final java.util.function.LongPredicate groupAlive;

  /** {@code timeout} is the watchdog's: the time after the last feed at which it acts. */
  public SelfFencer(Opener opener, java.time.Duration timeout) {
    this(opener, timeout, SelfFencer::groupAliveInProc);
  }

  /** With {@code groupAlive} telling whether a process group still has a live member (tests fake it). */
  SelfFencer(Opener opener, java.time.Duration timeout, java.util.function.LongPredicate groupAlive) {
    this.opener = opener;
    this.timeout = timeout;
    this.groupAlive = groupAlive;
  }

  /** Whether a live (non-zombie) process is in group {@code pgid}, from /proc. */
  static boolean groupAliveInProc(long pgid) {
    try (var dir = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc"), "[0-9]*")) {
      for (java.nio.file.Path p : dir) {
        try {
          String stat = java.nio.file.Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(f[2]) == pgid && !f[0].equals("Z") && !f[0].equals("X")) return true;
        } catch (IOException | RuntimeException gone) {
          // the process exited meanwhile
        }
      }
    } catch (IOException e) {
      return true; // cannot tell: keep it registered
    }
    return false;
  }

  /** The watchdog of {@code settings}, with the supervisor's files in {@code stateDir}. */
  public static SelfFencer of(WatchdogSettings settings, Path stateDir) {
    if (settings.mode() == WatchdogSettings.Mode.OFF) throw new IllegalArgumentException("watchdog mode off has no self-fencer");
    return new SelfFencer(() -> settings.mode() == WatchdogSettings.Mode.SUPERVISOR
        ? SupervisorWatchdog.start(stateDir, settings.timeout())
        : Watchdogs.open(settings.device(), stateDir, settings.timeout()), settings.timeout());
  }

  /**
   * One step of the feeding loop at {@code now} (the same time base as {@code leaseEnd}); returns when to
   * poll next. A feed that fails (the supervisor fired and exited) drops the watchdog: what it protected is
   * gone, and a fresh one is armed when the node may feed again.
   */
  public synchronized Instant poll(boolean quorate, Optional<Instant> leaseEnd, Instant now) {
    FeedingPolicy.Step step = FeedingPolicy.step(quorate, leaseEnd, timeout, now);
    if (suspended != null) {
      status = "disarmed: " + suspended;
      return step.next();
    }
    if (!step.feed()) {
      status = (feeder == null ? "not armed" : feeder.describe()) + ": " + step.reason();
      return step.next();
    }
    try {
      if (feeder == null) arm();
      feeder.feed();
      status = feeder.describe() + ": fed (" + step.reason() + ")";
    } catch (IOException e) {
      status = (feeder == null ? "watchdog" : feeder.describe()) + ": cannot feed (" + e.getMessage()
          + "); it has acted or will: a new one is armed at the next feed";
      drop();
      lostFeeder = true;
    }
    return step.next();
  }

  /**
   * While {@code why} is not null the watchdog is disarmed: the node is in maintenance, or the cluster in
   * maintenance-mode with fencing (io.vigil.cluster.coordinator.SelfStopSuspension says which). A package upgrade
   * that restarts vigild must not kill the resources, and the survivors cannot recover them elsewhere meanwhile, so
   * nothing can run twice. With {@code why} null again it is armed at the next feed, with every target still registered.
   */
  public synchronized void suspend(String why) throws IOException {
    boolean on = why != null;
    boolean was = suspended != null;
    suspended = why;
    if (on == was) return;
    if (on && feeder != null) {
      try {
        feeder.disarm();
      } finally {
        drop();
      }
    }
  }

  private void arm() throws IOException {
    if (lostFeeder) {
      // The previous supervisor fired and killed the groups registered with it; a resource started again
      // since then registered a new group, which is kept (a dead group's number may be reused later).
      for (Set<Long> gs : groups.values()) gs.removeIf(g -> !groupAlive.test(g));
      groups.values().removeIf(Set::isEmpty);
      for (Set<java.nio.file.Path> cs : cgroups.values()) cs.removeIf(c -> !io.vigil.exec.ResourceCgroups.populated(c));
      cgroups.values().removeIf(Set::isEmpty);
      lostFeeder = false;
    }
    feeder = opener.open();
    targets = feeder instanceof SupervisorWatchdog s ? s.targets() : null;
    if (targets != null) {
      targets.clear();
      for (Set<Long> gs : groups.values()) for (long g : gs) targets.addProcessGroup(g);
      for (Set<java.nio.file.Path> cs : cgroups.values()) for (java.nio.file.Path c : cs) targets.addCgroup(c);
      for (Set<Address> as : addresses.values()) for (Address a : as) targets.addAddress(a.netns(), a.device(), a.cidr());
    }
  }

  private void drop() {
    try {
      if (feeder != null) feeder.close();
    } catch (IOException ignored) {
      // already gone
    }
    feeder = null;
    targets = null;
  }

  /** The supervisor kills process group {@code pgid} of {@code resource} if it fires. */
  public synchronized void protectGroup(String resource, long pgid) throws IOException {
    if (groups.computeIfAbsent(resource, k -> new LinkedHashSet<>()).add(pgid) && targets != null) targets.addProcessGroup(pgid);
  }

  /** The supervisor kills every process in {@code cgroup} of {@code resource} if it fires. */
  public synchronized void protectCgroup(String resource, java.nio.file.Path cgroup) throws IOException {
    if (cgroups.computeIfAbsent(resource, k -> new LinkedHashSet<>()).add(cgroup) && targets != null) targets.addCgroup(cgroup);
  }

  /** The supervisor removes {@code address} of {@code resource} if it fires. */
  public synchronized void protectAddress(String resource, Address address) throws IOException {
    if (addresses.computeIfAbsent(resource, k -> new LinkedHashSet<>()).add(address) && targets != null) {
      targets.addAddress(address.netns(), address.device(), address.cidr());
    }
  }

  /** {@code resource} stopped: nothing of it is killed or removed any more. */
  public synchronized void release(String resource) throws IOException {
    Set<Long> gs = groups.remove(resource);
    Set<java.nio.file.Path> cs = cgroups.remove(resource);
    Set<Address> as = addresses.remove(resource);
    if (targets == null) return;
    if (gs != null) for (long g : gs) if (!registeredElsewhere(g)) targets.removeProcessGroup(g);
    if (cs != null) for (java.nio.file.Path c : cs) targets.removeCgroup(c);
    if (as != null) for (Address a : as) targets.removeAddress(a.netns(), a.device(), a.cidr());
  }

  private boolean registeredElsewhere(long g) {
    return groups.values().stream().anyMatch(s -> s.contains(g));
  }

  /** Resources with something registered, for status and tests. */
  public synchronized Map<String, String> protectedResources() {
    Map<String, String> out = new java.util.TreeMap<>();
    groups.forEach((r, g) -> out.merge(r, "process groups " + g, (a, b) -> a + ", " + b));
    cgroups.forEach((r, c) -> out.merge(r, "cgroups " + c, (a, b) -> a + ", " + b));
    addresses.forEach((r, a) -> out.merge(r, "addresses " + a.stream().map(Address::cidr).toList(), (x, y) -> x + ", " + y));
    return out;
  }

  /** One line for status: which watchdog, whether it is fed and why. */
  public synchronized String status() {
    return status;
  }

  /**
   * Orderly shutdown: disarms (magic close) when nothing is registered; otherwise leaves the watchdog to act
   * on what is still running, and says so.
   */
  @Override
  public synchronized void close() throws IOException {
    if (feeder == null) return;
    try {
      if (groups.isEmpty() && cgroups.isEmpty() && addresses.isEmpty()) {
        feeder.disarm();
        status = feeder.describe() + ": disarmed (orderly shutdown, nothing registered)";
      } else {
        status = feeder.describe() + ": left armed at shutdown: " + protectedResources() + " still registered";
      }
    } finally {
      drop();
    }
  }
}
