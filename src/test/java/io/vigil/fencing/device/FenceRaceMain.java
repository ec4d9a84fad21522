package io.vigil.fencing.device;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.Sleeper;
import io.vigil.fencing.topology.FenceOperation;
import io.vigil.fencing.topology.FencingEngine;
import io.vigil.model.AgentRef;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.OpDefaults;
import io.vigil.model.Primitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One node's fencer in the two-node race test, run inside that node's namespace: fences TARGET with a lab
 * device whose pcmk_delay_base is DELAYS once the test creates the file "go" next to RESULT_FILE, then writes the outcome to RESULT_FILE.
 * Args: NS_ALPHA NS_BETA DELAYS TARGET RESULT_FILE
 */
public final class FenceRaceMain {
  private FenceRaceMain() {}

  public static void main(String[] args) throws Exception {
    Primitive lab = Primitive.of("lab", AgentRef.parse("stonith:lab"),
        Map.of("pcmk_host_map", "alpha:" + args[0] + ";beta:" + args[1], "pcmk_delay_base", args[2]));
    ClusterConfig config = new ClusterConfig("race", List.of(Node.named("alpha"), Node.named("beta")), List.of(lab), List.of(),
        ClusterProperties.DEFAULTS, Meta.EMPTY, OpDefaults.EMPTY, List.of());
    FencingEngine engine = new FencingEngine(config, DeviceFactory.system(), Clock.systemUTC(), Sleeper.REAL,
        new SplittableRandom(), line -> { });
    Files.writeString(Path.of(args[4] + ".started"), "started");
    Path go = Path.of(args[4]).resolveSibling("go");
    for (int i = 0; i < 3000 && !Files.exists(go); i++) Thread.sleep(10);
    FenceOperation op = engine.fence(new FenceRequest(args[3], FenceAction.OFF, FenceRequest.Kind.AUTOMATIC, "race",
        "peer lost", Optional.empty()));
    Files.writeString(Path.of(args[4]), op.succeeded() + " " + op.summary());
  }
}
