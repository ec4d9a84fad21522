package io.vigil.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts Vigil JVMs for the demo — daemons, enrollment in a node's namespace, the prober — with
 * this JVM's Java and class path, inside a namespace when one is given. Daemons and the prober
 * get a session of their own ({@code setsid}), so they outlive the demo command and a Ctrl-C.
 *
 * @param mainClass the CLI's main class (the demo does not depend on the CLI package)
 * @param daemonFlags extra JVM flags for the daemons (as VIGIL_DAEMON_JAVA_OPTS gives bin/vigild)
 */
public record Launcher(String java, String classpath, String mainClass, List<String> daemonFlags) {
  /**
   * The quick JIT: C1 only. A failover runs code paths the daemons have hardly run before; with
   * the tiered JIT, C2 compiles them while the failover runs, on the same cores as the agents
   * (docs/cluster.md, "Fast settings"). Steady-state code is slower: the balancer's CPU per
   * proxied connection rises by about a fifth.
   */
  public static final List<String> QUICK_JIT = List.of("-XX:TieredStopAtLevel=1");

  public Launcher {
    daemonFlags = List.copyOf(daemonFlags);
  }

  /** The JVM this process runs in. */
  static Launcher current(String mainClass) {
    return new Launcher(Path.of(System.getProperty("java.home"), "bin", "java").toString(), expandedClasspath(), mainClass,
        List.of());
  }

  /** Whether the daemons run on the quick JIT. */
  boolean quickJit() {
    return daemonFlags.containsAll(QUICK_JIT);
  }

  /** The same, with {@code flags} for the daemons' JVMs. */
  Launcher withDaemonFlags(List<String> flags) {
    return new Launcher(java, classpath, mainClass, flags);
  }

  /** This JVM's class path, expanded when it is one manifest-only jar (java -jar, test runners). */
  public static String expandedClasspath() {
    String cp = System.getProperty("java.class.path");
    if (cp.contains(File.pathSeparator) || !cp.endsWith(".jar")) return cp;
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(cp)) {
      String entries = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Class-Path");
      if (entries == null || entries.isBlank()) return cp;
      List<String> out = new ArrayList<>(List.of(cp));
      for (String url : entries.trim().split("\\s+")) {
        java.net.URI u = Path.of(cp).toUri().resolve(url);
        out.add(Path.of(u).toString());
      }
      return String.join(File.pathSeparator, out);
    } catch (IOException | RuntimeException e) {
      return cp;
    }
  }

  /**
   * vigild on ZGC (a GC pause must never look like a dead node), as bin/vigild runs it: without
   * ZGC's proactive collections, which ran in the middle of failovers (GC threads then took a
   * tenth of both cores from the agents); ZGC still collects when allocation needs it.
   */
  Process daemon(DemoLayout.Node n) throws IOException {
    List<String> jvm = new ArrayList<>(List.of("-XX:+UseZGC", "-XX:-ZProactive", "-Xms128m", "-Xmx256m", "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) jvm.add("--sun-misc-unsafe-memory-access=allow");
    else jvm.add("-XX:+ZGenerational");
    jvm.addAll(daemonFlags);
    List<String> args = List.of("daemon", "run", "--state-dir", n.stateDir().toString(), "--agent-run-dir", n.runDir().toString());
    return start(n.namespace(), jvm, args, n.log().toFile(), true);
  }

  /** A short CLI run inside {@code namespace} (e.g. {@code node join}); output to {@code log}. */
  Process cli(String namespace, List<String> args, File log) throws IOException {
    return start(namespace, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m"), args, log, false);
  }

  /** The prober inside {@code namespace}, detached. */
  Process prober(String namespace, List<String> args, File log) throws IOException {
    return start(namespace, List.of("-XX:+UseSerialGC", "-Xmx96m"), args, log, true);
  }

  private Process start(String namespace, List<String> jvm, List<String> args, File log, boolean detached) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (detached) cmd.add("setsid");
    if (!namespace.isEmpty()) cmd.addAll(List.of("ip", "netns", "exec", namespace));
    cmd.add(java);
    cmd.addAll(jvm);
    cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.io.vigil=info",
        "-cp", classpath, mainClass));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    return pb.start();
  }
}
