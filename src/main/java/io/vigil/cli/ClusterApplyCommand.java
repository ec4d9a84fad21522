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
 * {@code vigil apply -f cluster.yaml [--dry-run] [--expect-epoch N]}: validate, show what
 * changes, commit atomically; refused if the configuration changed meanwhile.
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

  @Override
  public Integer call() throws Exception {
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
    var req = ClusterCli.request("apply");
    req.put("yaml", Files.readString(file, StandardCharsets.UTF_8));
    req.put("file", file.toString());
    req.put("expectedEpoch", expected);
    req.put("dryRun", dryRun);
    req.put("reason", reason == null ? "" : reason);
    JsonNode r = ClusterCli.call(dir, req);
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
}
