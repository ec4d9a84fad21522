package io.vigil.fencing.watchdog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the supervisor kills and removes when it fires: resource cgroups, process groups and floating addresses,
 * kept in files of its state directory and replaced atomically (write, then rename) on every change,
 * so the supervisor never reads half a list.
 */
public final class SupervisorTargets {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
  private static final Pattern ADDR = Pattern.compile("[0-9A-Fa-f:.]{2,45}/\\d{1,3}");
  private final Path dir;
  private static final Pattern CGROUP = Pattern.compile("/sys/fs/cgroup/[A-Za-z0-9_.:@/-]{1,400}");
  private final Set<Long> groups = new LinkedHashSet<>();
  private final Set<String> cgroups = new LinkedHashSet<>();
  private final Set<String> addresses = new LinkedHashSet<>();

  public SupervisorTargets(Path dir) {
    this.dir = dir;
  }

  /** Forgets every target (a fresh supervisor; stale groups from an earlier run must never be killed). */
  public synchronized void clear() throws IOException {
    groups.clear();
    cgroups.clear();
    addresses.clear();
    write("pgroups", List.of());
    write("cgroups", List.of());
    write("addresses", List.of());
  }

  /** The supervisor kills process group {@code pgid} when it fires. */
  public synchronized void addProcessGroup(long pgid) throws IOException {
    if (pgid <= 1) throw new IllegalArgumentException("process group " + pgid + " cannot be protected (expected > 1)");
    groups.add(pgid);
    write("pgroups", groups.stream().map(String::valueOf).toList());
  }

  public synchronized void removeProcessGroup(long pgid) throws IOException {
    groups.remove(pgid);
    write("pgroups", groups.stream().map(String::valueOf).toList());
  }

  /** The supervisor kills every process in {@code cgroup} (a cgroup v2 directory under /sys/fs/cgroup) when it fires. */
  public synchronized void addCgroup(java.nio.file.Path cgroup) throws IOException {
    String s = cgroup.toString();
    if (!CGROUP.matcher(s).matches() || s.contains("/../") || s.endsWith("/..")) {
      throw new IllegalArgumentException("'" + s + "' is not a cgroup directory under /sys/fs/cgroup");
    }
    cgroups.add(s);
    write("cgroups", List.copyOf(cgroups));
  }

  public synchronized void removeCgroup(java.nio.file.Path cgroup) throws IOException {
    if (cgroups.remove(cgroup.toString())) write("cgroups", List.copyOf(cgroups));
  }

  /**
   * The supervisor removes {@code cidr} (e.g. 10.77.0.100/24) from {@code device}, in network namespace
   * {@code netns} (null for the host's), when it fires.
   */
  public synchronized void addAddress(String netns, String device, String cidr) throws IOException {
    addresses.add(line(netns, device, cidr));
    write("addresses", List.copyOf(addresses));
  }

  public synchronized void removeAddress(String netns, String device, String cidr) throws IOException {
    addresses.remove(line(netns, device, cidr));
    write("addresses", List.copyOf(addresses));
  }

  private static String line(String netns, String device, String cidr) {
    if (netns != null && !NAME.matcher(netns).matches()) throw new IllegalArgumentException("bad namespace name '" + netns + "'");
    if (!NAME.matcher(device).matches()) throw new IllegalArgumentException("bad device name '" + device + "'");
    if (!ADDR.matcher(cidr).matches()) throw new IllegalArgumentException("'" + cidr + "' is not an address/prefix");
    return (netns == null ? "-" : netns) + " " + device + " " + cidr;
  }

  private void write(String name, List<String> lines) throws IOException {
    Path tmp = dir.resolve(name + ".tmp");
    List<String> out = new ArrayList<>(lines);
    Files.write(tmp, out);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
