package io.vigil.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads /proc: which processes belong to a process group, session or subtree. */
public final class ProcTable {
  private static final Path PROC = Path.of("/proc");

  /** One line of /proc/PID/stat that matters here. */
  public record Proc(long pid, char state, long ppid, long pgid, long sid) {
    public boolean zombie() {
      return state == 'Z' || state == 'X';
    }
  }

  private ProcTable() {}

  /** Every process visible now. */
  public static List<Proc> snapshot() {
    List<Proc> out = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit)) {
          read(Long.parseLong(name)).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
    return out;
  }

  /** The stat of one process, empty if it is gone. */
  public static Optional<Proc> read(long pid) {
    try {
      return Optional.of(parse(pid, Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Parses a /proc/PID/stat line; the command name may contain spaces and ')' so we cut at the last ')'. */
  static Proc parse(long pid, String stat) {
    int close = stat.lastIndexOf(')');
    String[] f = stat.substring(close + 2).trim().split(" ");
    return new Proc(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
  }

  /**
   * Live (non-zombie) processes that are in process group or session {@code leader}, or descend
   * from {@code leader}, excluding {@code leader} itself when {@code excludeLeader}.
   */
  public static Set<Long> membersOf(long leader, boolean excludeLeader) {
    List<Proc> all = snapshot();
    Set<Long> out = new HashSet<>();
    for (Proc p : all) {
      if (!p.zombie() && (p.pgid() == leader || p.sid() == leader)) {
        out.add(p.pid());
      }
    }
    // Descendants that moved to their own group or session (daemons that called setsid).
    boolean grew = true;
    Set<Long> tree = new HashSet<>(Set.of(leader));
    while (grew) {
      grew = false;
      for (Proc p : all) {
        if (tree.contains(p.ppid()) && tree.add(p.pid())) {
          grew = true;
          if (!p.zombie()) {
            out.add(p.pid());
          }
        }
      }
    }
    if (excludeLeader) {
      out.remove(leader);
    } else if (read(leader).map(p -> !p.zombie()).orElse(false)) {
      out.add(leader);
    }
    return out;
  }
}
