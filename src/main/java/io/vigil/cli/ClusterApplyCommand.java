package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil apply -f cluster.yaml [--dry-run] [--expect-epoch N] [--stop-removed]}: validate, show
 * what changes, commit atomically; refused if the configuration changed meanwhile, or if it removes a
 * resource that is still active (unless --stop-removed, which stops such resources first).
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Validate a configuration, show the changes and commit it atomically (epoch-checked).")
public final class ClusterApplyCommand implements Callable<Integer> {
  @Mixin ClusterCli.StateDirOption dir;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE") Path file;

  @Option(names = "--dry-run", description = "Validate and show the changes; commit nothing.") boolean dryRun;

  @Option(names = "--expect-epoch", paramLabel = "N",
      description = "Commit only if the current epoch is N (default: the epoch this command reads first).") Long expectEpoch;

  @Option(names = "--reason", description = "Why (recorded in history).") String reason;

  @Option(names = "--stop-removed", description = "If the configuration removes resources that are still active, stop them first "
      + "(target-role Stopped, as 'vigil resource stop'), wait until they have stopped (at most --wait), then apply.")
  boolean stopRemoved;

  @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "120s",
      description = "With --stop-removed: how long to wait for the removed resources to stop (default ${DEFAULT-VALUE}).")
  String waitFor;

  @Override
  public Integer call() throws Exception {
    java.time.Duration wait;
    try {
      wait = io.vigil.model.Durations.parse(waitFor);
    } catch (IllegalArgumentException e) {
      System.err.println("vigil apply: --wait '" + waitFor + "': " + e.getMessage());
      return 2;
    }
    if (Files.size(file) > 4 << 20) {
      System.err.println("vigil apply: " + file + " is larger than 4 MiB");
      return 1;
    }
    long expected;
    if (expectEpoch != null) {
      expected = expectEpoch;
    } else {
      JsonNode s = ClusterCli.call(dir, ClusterCli.request("status"));
      if (!s.path("ok").asBoolean()) {
        System.err.println("vigil apply: " + s.path("error").asText());
        return 1;
      }
      expected = s.path("epoch").asLong();
    }
    String yaml = Files.readString(file, StandardCharsets.UTF_8);
    JsonNode r = ClusterCli.call(dir, applyRequest(yaml, expected, dryRun));
    if (!r.path("ok").asBoolean() && stopRemoved && !dryRun && !r.path("removedActive").isEmpty()) {
      java.util.OptionalLong after = stopThenWait(yaml, r.path("removedActive"), wait);
      if (after.isEmpty()) return 1;
      expected = after.getAsLong();
      r = ClusterCli.call(dir, applyRequest(yaml, expected, false));
    }
    for (JsonNode p : r.path("problems")) System.err.println(p.asText());
    for (JsonNode d : r.path("diff")) System.out.println(d.asText());
    if (!r.path("ok").asBoolean()) {
      System.err.println("vigil apply: " + r.path("error").asText());
      return 1;
    }
    if (dryRun) {
      System.out.printf("dry run: would commit epoch %d (nothing applied)%n", expected + 1);
    } else {
      System.out.printf("applied: configuration epoch %d%n", r.path("epoch").asLong());
    }
    return 0;
  }

  private com.fasterxml.jackson.databind.node.ObjectNode applyRequest(String yaml, long expected, boolean dry) {
    var req = ClusterCli.request("apply");
    req.put("yaml", yaml);
    req.put("file", file.toString());
    req.put("expectedEpoch", expected);
    req.put("dryRun", dry);
    req.put("reason", reason == null ? "" : reason);
    return req;
  }

  /**
   * Sets target-role Stopped on each of {@code ids} (one committed edit each, as {@code vigil resource
   * stop}), then checks the configuration again (dry run, at the epoch then current) once a second
   * until nothing it removes is active. Returns that epoch, or empty after saying why it gave up.
   */
  private java.util.OptionalLong stopThenWait(String yaml, JsonNode ids, java.time.Duration wait) throws Exception {
    for (JsonNode id : ids) {
      var stop = ClusterCli.request("resource-stop");
      stop.put("resource", id.asText());
      stop.put("node", "");
      JsonNode s = ClusterCli.call(dir, stop);
      if (!s.path("ok").asBoolean() && !s.path("error").asText().contains("already has target-role Stopped")) {
        System.err.println("vigil apply: stopping " + id.asText() + " before removing it: " + s.path("error").asText());
        return java.util.OptionalLong.empty();
      }
      System.out.println("stopping " + id.asText() + " before removing it");
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      JsonNode status = ClusterCli.call(dir, ClusterCli.request("status"));
      long epoch = status.path("epoch").asLong();
      JsonNode check = ClusterCli.call(dir, applyRequest(yaml, epoch, true));
      if (check.path("ok").asBoolean()) return java.util.OptionalLong.of(epoch);
      if (check.path("removedActive").isEmpty() || System.nanoTime() > deadline) {
        for (JsonNode p : check.path("problems")) System.err.println(p.asText());
        System.err.println("vigil apply: " + (check.path("removedActive").isEmpty() ? "" : "still active after " + waitFor + ": ")
            + check.path("error").asText() + " (the resources stay stopped: target-role Stopped)");
        return java.util.OptionalLong.empty();
      }
      Thread.sleep(1000);
    }
  }
}
