package io.vigil.fencing.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.Sleeper;
import io.vigil.fencing.device.DeviceFactory;
import io.vigil.fencing.device.Secrets;
import io.vigil.model.AgentRef;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.FencingLevel;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.OpDefaults;
import io.vigil.model.Primitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret an agent echoes back never reaches the log, the operation, the history or an exception. */
class SecretsNeverLeakTest {
  private static final String SECRET = "Tr0ub4dor&3-never-shown";
  @TempDir Path dir;

  @Test
  void echoedSecretIsRedactedEverywhere() throws Exception {
    Path agent = dir.resolve("chatty");
    Files.writeString(agent, "#!/bin/sh\nin=$(cat)\necho \"$in\"\necho \"auth failed: $in\" >&2\nexit 1\n");
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path secret = dir.resolve("pw");
    Files.writeString(secret, SECRET + "\n");
    Primitive dev = new Primitive("chatty", AgentRef.parse("stonith:script"),
        Map.of("path", agent.toString(), "pcmk_host_list", "beta", "pcmk_retries", "1"),
        Map.of("passwd", secret.toString()), null, List.of(), Map.of());
    ClusterConfig config = new ClusterConfig("c", List.of(Node.named("alpha"), Node.named("beta")), List.of(dev), List.of(),
        ClusterProperties.DEFAULTS, Meta.EMPTY, OpDefaults.EMPTY, List.of(new FencingLevel("beta", false, 1, List.of("chatty"))));
    List<String> log = new ArrayList<>();
    FencingEngine engine = new FencingEngine(config, DeviceFactory.system(), Clock.systemUTC(), Sleeper.REAL,
        new SplittableRandom(1), log::add);

    FenceOperation op = engine.fence(new FenceRequest("beta", FenceAction.REBOOT, FenceRequest.Kind.OPERATOR, "ops", "test",
        Optional.empty()));
    var tested = engine.test("chatty", Optional.empty());

    assertThat(op.succeeded()).isFalse();
    String everything = String.join("\n", log) + op + engine.history().list(null) + tested + engine.device("chatty").orElseThrow()
        + dev + config;
    assertThat(everything).doesNotContain(SECRET).contains("******");
  }

  @Test
  void unreadableOrMalformedSecretFilesAreNamedButNeverShown() throws Exception {
    Path twoLines = dir.resolve("two");
    Files.writeString(twoLines, SECRET + "\nsecond-line-" + SECRET);
    assertThatThrownBy(() -> Secrets.read("ipmi", Map.of("passwd", twoLines.toString())))
        .hasMessage("fence device 'ipmi': secret parameter 'passwd' file " + twoLines + " has more than one line (expected the secret alone)")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> Secrets.read("ipmi", Map.of("passwd", dir.resolve("missing").toString())))
        .hasMessageContaining("does not exist");
    assertThat(Secrets.read("ipmi", Map.of("passwd", write(SECRET))).toString()).doesNotContain(SECRET);
  }

  private String write(String text) throws Exception {
    Path p = dir.resolve("ok");
    Files.writeString(p, text);
    return p.toString();
  }
}
