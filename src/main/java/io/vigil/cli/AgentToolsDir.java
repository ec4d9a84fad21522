package io.vigil.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory vigild gives OCF agents as {@code HA_SBIN_DIR} ({@code <state-dir>/agent-sbin}):
 * {@code crm_attribute}, {@code crm_master} and {@code attrd_updater} are scripts that run
 * {@link AgentAttributeTool} against this daemon, so an agent's promotion score or node attribute
 * lands in the Vigil cluster; every other program of the system's sbin directory is linked
 * unchanged. Rewritten at every daemon start (the Java and class path may have changed).
 */
final class AgentToolsDir {
  /** JVM settings for a short-lived tool: fast start, small heap. */
  static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
      "-Xshare:auto", "-Xmx64m");
  /**
   * The tools' class-data archive in the directory: the JVM writes it at the first call's exit and
   * maps it afterwards (JDK 19+ AutoCreateSharedArchive; recreated when the JDK or class path
   * changes), which cut a call from 0.21-0.28 s to 0.08 s here. Every daemon start rewrites the
   * directory, so it never outlives the build it was made from.
   */
  static final String CLASS_ARCHIVE = "attribute-tool.jsa";

  private AgentToolsDir() {}

  /**
   * Writes the directory and returns it.
   *
   * @param launcher the java launcher the scripts run
   * @param classPath Vigil's class path
   * @param systemSbin where the other programs are linked from (/usr/sbin)
   */
  static Path install(Path stateDir, Path socket, String node, String launcher, String classPath, Path systemSbin)
      throws IOException {
    Path dir = stateDir.resolve("agent-sbin");
    Files.createDirectories(dir);
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.toList()) Files.deleteIfExists(p);
    }
    for (String tool : PacemakerAttributeArgs.TOOLS) {
      Path script = dir.resolve(tool);
      Files.writeString(script, script(tool, socket, node, launcher, classPath, dir.resolve(CLASS_ARCHIVE)), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    if (Files.isDirectory(systemSbin)) {
      try (Stream<Path> programs = Files.list(systemSbin)) {
        for (Path p : programs.toList()) {
          Path link = dir.resolve(p.getFileName().toString());
          if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, p);
        }
      }
    }
    return dir;
  }

  static String script(String tool, Path socket, String node, String launcher, String classPath, Path archive) {
    StringBuilder sb = new StringBuilder("#!/bin/sh\n");
    sb.append("# Written by vigild at start: Pacemaker's ").append(tool)
        .append(" for the OCF agents it runs, acting on this node's Vigil cluster.\n");
    sb.append("exec ").append(quote(launcher));
    for (String f : JVM_FLAGS) sb.append(' ').append(f);
    sb.append(" -XX:+AutoCreateSharedArchive ").append(quote("-XX:SharedArchiveFile=" + archive.toAbsolutePath()))
        .append(" -Xlog:cds=off -Xlog:cds+dynamic=off");
    sb.append(" -cp ").append(quote(classPath)).append(' ').append(AgentAttributeTool.class.getName())
        .append(' ').append(quote(socket.toAbsolutePath().toString())).append(' ').append(quote(node))
        .append(' ').append(tool).append(" \"$@\"\n");
    return sb.toString();
  }

  /** One shell word in single quotes; a quote inside cannot be written safely, so it is refused. */
  static String quote(String s) {
    if (s.indexOf('\'') >= 0 || s.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("cannot write agent tools: '" + s + "' holds a quote or a newline");
    }
    return "'" + s + "'";
  }
}
