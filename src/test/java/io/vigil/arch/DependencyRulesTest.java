package io.vigil.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward (cli/api → cluster → scheduler → model): each capability may use only
 * the packages listed here. Checked on the sources, so a violation names the file and the import.
 */
class DependencyRulesTest {
  private static final Path SRC = Path.of("src", "main", "java", "io", "vigil");
  private static final Pattern REF = Pattern.compile("\\bio\\.vigil\\.([a-z]+(?:\\.[a-z]+)?)");

  /** Top-level capability -> what it may depend on besides itself. */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("model", Set.of()),
      Map.entry("config", Set.of("model")),
      Map.entry("status", Set.of("model", "config")),
      Map.entry("scheduler", Set.of("model", "status", "config")),
      Map.entry("exec", Set.of("model")),
      Map.entry("fencing", Set.of("model", "exec", "config")),
      Map.entry("agents", Set.of("model", "exec")),
      Map.entry("cluster", Set.of("model", "config", "status", "scheduler", "exec", "fencing", "agents")),
      Map.entry("api", Set.of("model", "config", "status", "scheduler", "exec", "fencing", "agents", "cluster")),
      Map.entry("demo", Set.of("model", "config", "exec", "cluster")),
      Map.entry("cli", Set.of("model", "config", "status", "scheduler", "exec", "fencing", "agents", "cluster", "api", "demo")));

  /** Packages that must stay pure: no processes, sockets, files or clocks. */
  private static final Set<String> PURE = Set.of("model", "scheduler");
  private static final List<String> IMPURE = List.of("java.net.", "java.nio.channels", "ProcessBuilder",
      "Instant.now()", "System.currentTimeMillis", "System.nanoTime", "Clock.systemUTC", "LocalDateTime.now",
      "Thread.sleep", "java.nio.file.Files");

  @Test
  void capabilitiesDependOnlyOnInnerPackages() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path file : sources()) {
      String capability = capabilityOf(file);
      Set<String> allowed = ALLOWED.get(capability);
      assertThat(allowed).as("package io.vigil." + capability + " has no dependency rule; add one to " + getClass().getSimpleName()).isNotNull();
      Matcher m = REF.matcher(stripComments(Files.readString(file)));
      Set<String> used = new TreeSet<>();
      while (m.find()) used.add(m.group(1).split("\\.")[0]);
      for (String u : used) {
        if (!u.equals(capability) && !allowed.contains(u)) violations.add(SRC.relativize(file) + " uses io.vigil." + u);
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void pureCoreDoesNoIoAndReadsNoClock() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path file : sources()) {
      if (!PURE.contains(capabilityOf(file))) continue;
      String code = stripComments(Files.readString(file));
      for (String bad : IMPURE) {
        if (code.contains(bad)) violations.add(SRC.relativize(file) + " uses " + bad);
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void everyPackageSaysWhatItIsFor() throws IOException {
    List<String> missing = new ArrayList<>();
    try (Stream<Path> dirs = Files.walk(SRC)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        boolean hasJava;
        try (Stream<Path> files = Files.list(dir)) {
          hasJava = files.anyMatch(f -> f.toString().endsWith(".java"));
        }
        if (hasJava && !Files.exists(dir.resolve("package-info.java"))) missing.add(SRC.relativize(dir).toString());
      }
    }
    assertThat(missing).as("packages without package-info.java").isEmpty();
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> s = Files.walk(SRC)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static String capabilityOf(Path file) {
    return SRC.relativize(file).getName(0).toString();
  }

  private static String stripComments(String code) {
    return code.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
  }
}
