package io.vigil.fencing.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FakeClock;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.FenceResult.Power;
import io.vigil.fencing.Sleeper;
import io.vigil.fencing.policy.NodeFencingState;
import io.vigil.fencing.policy.Pauses;
import io.vigil.fencing.policy.PolicySettings;
import io.vigil.fencing.policy.RecoveryGate;
import io.vigil.fencing.topology.FenceOperation;
import io.vigil.fencing.topology.FencingCoordinator;
import io.vigil.fencing.topology.FencingEngine;
import io.vigil.fencing.topology.Topology;
import io.vigil.fencing.topology.TopologyExecutor;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab device in two network namespaces joined by a veth pair: fencing "beta" through a topology whose first
 * level fails takes beta's link down and kills its processes; alpha can no longer reach it.
 */
@Tag("slow")
class LabDeviceTest {
  @TempDir Path dir;
  private final String prefix = "vgf" + (ProcessHandle.current().pid() % 100000);
  private final String alpha = prefix + "a";
  private final String beta = prefix + "b";
  private Process betaService;

  @BeforeEach
  void up() throws Exception {
    sh("ip", "netns", "add", alpha);
    sh("ip", "netns", "add", beta);
    sh("ip", "-n", alpha, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", beta);
    sh("ip", "-n", alpha, "addr", "add", "10.77.0.11/24", "dev", "eth0");
    sh("ip", "-n", beta, "addr", "add", "10.77.0.12/24", "dev", "eth0");
    sh("ip", "-n", alpha, "link", "set", "eth0", "up");
    sh("ip", "-n", beta, "link", "set", "eth0", "up");
    betaService = new ProcessBuilder("ip", "netns", "exec", beta, "sleep", "600").start();
  }

  @AfterEach
  void down() throws Exception {
    if (betaService != null) betaService.destroyForcibly();
    for (String ns : List.of(alpha, beta)) {
      String pids = sh("ip", "netns", "pids", ns).strip();
      if (!pids.isEmpty()) {
        List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
        kill.addAll(List.of(pids.split("\\s+")));
        sh(kill.toArray(String[]::new));
      }
      sh("ip", "netns", "del", ns);
    }
  }

  @Test
  void fencingThroughTheTopologyCutsTheNodeOffOnlyAfterTheFailingLevel() throws Exception {
    assertThat(ping()).isTrue();
    Path failing = Scripts.write(dir, "broken-pdu", "cat >/dev/null; echo 'pdu: connection refused' >&2; exit 1");
    DeviceFactory f = DeviceFactory.system();
    Map<String, FenceDevice> devices = new LinkedHashMap<>();
    devices.put("pdu", f.create(Primitive.of("pdu", AgentRef.parse("stonith:script"),
        Map.of("path", failing.toString(), "pcmk_host_list", "beta", "pcmk_retries", "1"))));
    devices.put("lab", f.create(Primitive.of("lab", AgentRef.parse("stonith:lab"), Map.of("pcmk_host_map", "beta:" + beta))));
    Map<String, DeviceSettings> settings = new LinkedHashMap<>();
    devices.forEach((k, v) -> settings.put(k, v.settings()));
    Topology topo = new Topology(List.of(new FencingLevel("beta", false, 1, List.of("pdu")),
        new FencingLevel("beta", false, 2, List.of("lab"))), settings);
    List<String> log = new ArrayList<>();
    TopologyExecutor ex = new TopologyExecutor(topo, devices, Clock.systemUTC(), Sleeper.REAL, new SplittableRandom(),
        Duration.ofSeconds(30), log::add);

    FenceOperation op = ex.fence(new FenceRequest("beta", FenceAction.OFF, FenceRequest.Kind.OPERATOR, "test", "lab",
        Optional.empty()));

    assertThat(op.succeeded()).as(op.summary()).isTrue();
    assertThat(op.level()).contains(2);
    assertThat(op.attempts()).extracting(a -> a.device() + ":" + a.outcome()).containsExactly("pdu:FAILED", "pdu:FAILED", "lab:SUCCESS");
    assertThat(op.attempts().getFirst().result()).contains("pdu: connection refused");
    assertThat(betaService.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(sh("ip", "netns", "pids", beta)).isBlank();
    assertThat(ping()).isFalse();
    assertThat(devices.get("lab").run(FenceAction.STATUS, "beta", Duration.ofSeconds(5)).power()).contains(Power.OFF);
    assertThat(devices.get("lab").run(FenceAction.ON, "beta", Duration.ofSeconds(5)).succeeded()).isTrue();
    assertThat(devices.get("lab").run(FenceAction.STATUS, "beta", Duration.ofSeconds(5)).power()).contains(Power.ON);
  }

  @Test
  void lostNodeStaysBlockedThroughAPauseAndAFailingDeviceAndIsRecoveredOnlyAfterItIsCutOff() throws Exception {
    Path healthy = dir.resolve("pdu-healthy");
    Path pdu = Scripts.write(dir, "pdu", "cat >/dev/null; [ -e " + healthy + " ] && exit 0; echo 'pdu: no route' >&2; exit 1");
    Primitive pduDev = Primitive.of("pdu", AgentRef.parse("stonith:script"),
        Map.of("path", pdu.toString(), "pcmk_host_list", "beta", "pcmk_retries", "0"));
    Primitive labDev = Primitive.of("lab", AgentRef.parse("stonith:lab"), Map.of("pcmk_host_map", "beta:" + beta));
    ClusterConfig config = new ClusterConfig("lab",
        List.of(Node.named("alpha"), Node.named("beta")), List.of(pduDev, labDev), List.of(),
        ClusterProperties.DEFAULTS, Meta.EMPTY, OpDefaults.EMPTY,
        List.of(new FencingLevel("beta", false, 1, List.of("pdu", "lab"))));
    FakeClock clock = new FakeClock(Instant.parse("2026-06-01T08:00:00Z"));
    Instant t0 = clock.instant();
    var engine = new FencingEngine(config, DeviceFactory.system(), clock, Sleeper.REAL,
        new SplittableRandom(), l -> { });
    var off = new PolicySettings(true, FenceAction.OFF, Duration.ofSeconds(30), false,
        Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(5));
    var coordinator = new FencingCoordinator(engine, off, "alpha");
    var pauses = Pauses.NONE.pause(Optional.empty(), Duration.ofMinutes(30), "kernel upgrade", "root", t0);
    var state = NodeFencingState.member("beta", true).lost(t0.plusSeconds(60), Optional.empty());

    clock.advance(Duration.ofMinutes(1));
    var paused = coordinator.step(state, true, pauses, clock.instant());
    assertThat(paused.operation()).isEmpty();
    assertThat(paused.gate()).isInstanceOf(RecoveryGate.Blocked.class);
    assertThat(paused.gate().reason()).contains("paused").contains("kernel upgrade");
    assertThat(paused.nextDeadline()).contains(t0.plus(Duration.ofMinutes(30)));
    assertThat(betaService.isAlive()).isTrue();

    clock.advance(Duration.ofMinutes(29));
    var failed = coordinator.step(paused.state(), true, pauses, clock.instant());
    assertThat(failed.operation()).hasValueSatisfying(op -> assertThat(op.succeeded()).isFalse());
    assertThat(failed.gate().reason()).contains("failed 1 time(s)").contains("pdu: no route").contains("stay blocked");
    assertThat(betaService.isAlive()).isTrue();
    assertThat(ping()).isTrue();

    clock.advance(Duration.ofSeconds(1));
    assertThat(coordinator.step(failed.state(), true, pauses, clock.instant()).operation()).isEmpty();

    Files.writeString(healthy, "");
    clock.advance(Duration.ofSeconds(4));
    var fenced = coordinator.step(failed.state(), true, pauses, clock.instant());
    assertThat(fenced.operation()).hasValueSatisfying(op -> assertThat(op.succeeded()).isTrue());
    assertThat(fenced.gate()).isInstanceOf(RecoveryGate.Recover.class);
    assertThat(betaService.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ping()).isFalse();
    assertThat(engine.history().list("beta")).extracting(FenceOperation::succeeded)
        .containsExactly(false, true);
  }

  @Test
  void statusOfAMissingNamespaceIsAFailureNotOff() throws Exception {
    FenceDevice lab = DeviceFactory.system().create(Primitive.of("lab", AgentRef.parse("stonith:lab"),
        Map.of("pcmk_host_map", "ghost:" + prefix + "zz")));
    var r = lab.run(FenceAction.STATUS, "ghost", Duration.ofSeconds(5));
    assertThat(r.succeeded()).isFalse();
    assertThat(r.power()).isEmpty();
  }

  private boolean ping() throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", alpha, "ping", "-c", "1", "-W", "1", "10.77.0.12")
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static String sh(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
