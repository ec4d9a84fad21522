package io.vigil.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Executor settings, with every key, typed default and meaning in one place
 * ({@link #KEYS}); {@link #fromProperties} reads them from {@code vigil.exec.*} properties.
 *
 * @param ocfRoot OCF_ROOT passed to agents; agents live under {@code <ocfRoot>/resource.d}
 * @param lsbRoot directory holding LSB init scripts
 * @param outputTailBytes how much of each action's output (stdout+stderr) is kept
 * @param metadataOutputBytes output kept for meta-data actions (must hold the whole XML)
 * @param killGrace time between SIGTERM and SIGKILL of a timed-out action's process group
 * @param metadataTimeout timeout of meta-data actions
 * @param path PATH given to agents
 * @param reaper run agents under a small subreaper wrapper so killed descendants are reaped
 * @param runDir when not null, OCF agents get {@code HA_VARRUN=<runDir>/} and
 *     {@code HA_RSCTMP=<runDir>/resource-agents} instead of their compiled-in /run paths, so several
 *     nodes on one host (the demo, tests) keep their pid and state files apart
 * @param sbinDir when not null, OCF agents get {@code HA_SBIN_DIR=<sbinDir>}: the daemon puts
 *     its own {@code crm_attribute}, {@code crm_master} and {@code attrd_updater} there, so agents
 *     that set promotion scores or node attributes act on the Vigil cluster
 */
public record ExecConfig(
    Path ocfRoot,
    Path lsbRoot,
    int outputTailBytes,
    int metadataOutputBytes,
    Duration killGrace,
    Duration metadataTimeout,
    String path,
    boolean reaper,
    Path runDir,
    Path sbinDir) {

  /** One documented setting. */
  public record Key(String name, String defaultValue, String doc) {}

  public static final List<Key> KEYS = List.of(
      new Key("vigil.exec.ocf-root", "/usr/lib/ocf", "OCF_ROOT: agents are <root>/resource.d/<provider>/<type>"),
      new Key("vigil.exec.lsb-root", "/etc/init.d", "directory of LSB init scripts"),
      new Key("vigil.exec.output-tail", "65536", "bytes of output (stdout+stderr) kept per action"),
      new Key("vigil.exec.metadata-output", "1048576", "bytes of output kept for meta-data"),
      new Key("vigil.exec.kill-grace", "PT5S", "SIGTERM to SIGKILL delay for a timed-out process group"),
      new Key("vigil.exec.metadata-timeout", "PT30S", "timeout of the meta-data action"),
      new Key("vigil.exec.path", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "PATH given to agents"),
      new Key("vigil.exec.reaper", "true",
          "run agents under a subreaper wrapper (python3) so killed grandchildren never linger as zombies"),
      new Key("vigil.exec.run-dir", "",
          "if set, OCF agents get HA_VARRUN=<dir>/ and HA_RSCTMP=<dir>/resource-agents (pid and lock files) instead of /run"));

  public ExecConfig {
    Objects.requireNonNull(ocfRoot, "ocfRoot");
    Objects.requireNonNull(lsbRoot, "lsbRoot");
    Objects.requireNonNull(killGrace, "killGrace");
    Objects.requireNonNull(metadataTimeout, "metadataTimeout");
    Objects.requireNonNull(path, "path");
    if (outputTailBytes < 1024 || metadataOutputBytes < 1024) {
      throw new IllegalArgumentException("vigil.exec.output-tail and vigil.exec.metadata-output must be >= 1024 bytes, got "
          + outputTailBytes + " and " + metadataOutputBytes);
    }
    if (killGrace.isNegative() || metadataTimeout.isNegative() || metadataTimeout.isZero()) {
      throw new IllegalArgumentException("vigil.exec.kill-grace must be >= 0 and vigil.exec.metadata-timeout > 0, got "
          + killGrace + " and " + metadataTimeout);
    }
  }

  /** The defaults of {@link #KEYS}. */
  public static ExecConfig defaults() {
    return fromProperties(Map.of());
  }

  /** Reads {@code vigil.exec.*} keys, falling back to the defaults of {@link #KEYS}. */
  public static ExecConfig fromProperties(Map<String, String> props) {
    Function<String, String> get = name -> props.getOrDefault(name,
        KEYS.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow().defaultValue());
    try {
      return new ExecConfig(
          Path.of(get.apply("vigil.exec.ocf-root")),
          Path.of(get.apply("vigil.exec.lsb-root")),
          Integer.parseInt(get.apply("vigil.exec.output-tail")),
          Integer.parseInt(get.apply("vigil.exec.metadata-output")),
          Duration.parse(get.apply("vigil.exec.kill-grace")),
          Duration.parse(get.apply("vigil.exec.metadata-timeout")),
          get.apply("vigil.exec.path"),
          Boolean.parseBoolean(get.apply("vigil.exec.reaper")),
          get.apply("vigil.exec.run-dir").isEmpty() ? null : Path.of(get.apply("vigil.exec.run-dir")),
          null);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad vigil.exec setting: " + e.getMessage(), e);
    }
  }

  /** This configuration with another OCF root. */
  public ExecConfig withOcfRoot(Path root) {
    return new ExecConfig(root, lsbRoot, outputTailBytes, metadataOutputBytes, killGrace, metadataTimeout, path, reaper, runDir, sbinDir);
  }

  /** This configuration with another init-script directory. */
  public ExecConfig withLsbRoot(Path root) {
    return new ExecConfig(ocfRoot, root, outputTailBytes, metadataOutputBytes, killGrace, metadataTimeout, path, reaper, runDir, sbinDir);
  }

  /** This configuration with another SIGTERM-to-SIGKILL delay. */
  public ExecConfig withKillGrace(Duration grace) {
    return new ExecConfig(ocfRoot, lsbRoot, outputTailBytes, metadataOutputBytes, grace, metadataTimeout, path, reaper, runDir, sbinDir);
  }

  /** This configuration with another output tail size. */
  public ExecConfig withOutputTailBytes(int bytes) {
    return new ExecConfig(ocfRoot, lsbRoot, bytes, metadataOutputBytes, killGrace, metadataTimeout, path, reaper, runDir, sbinDir);
  }

  /** This configuration with agents' pid and lock files under {@code dir} (see {@link #runDir}). */
  public ExecConfig withRunDir(Path dir) {
    return new ExecConfig(ocfRoot, lsbRoot, outputTailBytes, metadataOutputBytes, killGrace, metadataTimeout, path, reaper, dir, sbinDir);
  }

  /** This configuration with {@code HA_SBIN_DIR} for OCF agents (see {@link #sbinDir}). */
  public ExecConfig withSbinDir(Path dir) {
    return new ExecConfig(ocfRoot, lsbRoot, outputTailBytes, metadataOutputBytes, killGrace, metadataTimeout, path, reaper, runDir, dir);
  }
}
