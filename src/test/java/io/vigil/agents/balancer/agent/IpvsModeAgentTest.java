package io.vigil.agents.balancer.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.balancer.ipvs.CommandRunner;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfRc;
import io.vigil.model.AgentRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code builtin:balancer} in mode ipvs: real TCP real servers on loopback and real health checks;
 * the kernel (this machine has no ip_vs module) is a recorder of the exact ipvsadm argument lists
 * that keeps the services it was told about, so that {@code -L} answers as ipvsadm would. A real
 * server stopped is removed after its falls, comes back after its rises, the sorry server enters
 * when none is up and leaves after one is back; stop removes the service; a table entry no daemon
 * manages fails the monitor; a failed command fails it too. Without the module: OCF_ERR_INSTALLED.
 */
class IpvsModeAgentTest {
  @TempDir Path dir;
  private final List<RealServer> servers = new ArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private String out = "";

  /** A loopback TCP server that accepts and closes, until closed; reopened on the same port. */
  static final class RealServer implements AutoCloseable {
    final int port;
    private ServerSocket socket;

    RealServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      port = socket.getLocalPort();
      accept(socket);
    }

    void reopen() throws IOException {
      socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      accept(socket);
    }

    private static void accept(ServerSocket s) {
      Thread.ofVirtual().start(() -> {
        while (!s.isClosed()) {
          try (Socket c = s.accept()) {
            // connected: a tcp check passes
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** ipvsadm as far as a test can see it: the argument lists, and the services -A added and -D removed. */
  static final class RecordingKernel implements CommandRunner {
    final List<List<String>> commands = new CopyOnWriteArrayList<>();
    final Set<String> services = new HashSet<>();
    volatile String failOn;

    @Override
    public synchronized void run(List<String> argv) throws IOException {
      commands.add(argv);
      if (failOn != null && String.join(" ", argv).contains(failOn)) throw new IOException(String.join(" ", argv) + ": exit 2: Memory allocation problem");
      if (argv.get(0).equals("modprobe")) throw new IOException("modprobe ip_vs: exit 1");
      String op = argv.size() > 1 ? argv.get(1) : "";
      switch (op) {
        case "-A" -> services.add(argv.get(3));
        case "-D" -> {
          if (!services.remove(argv.get(3))) throw new IOException(String.join(" ", argv) + ": exit 1: No such service");
        }
        case "-L" -> {
          if (!services.contains(argv.get(4))) throw new IOException(String.join(" ", argv) + ": exit 1: No such service");
        }
        default -> { }
      }
    }

    /** The commands so far that contain {@code part}, joined with spaces. */
    List<String> with(String part) {
      return commands.stream().map(c -> String.join(" ", c)).filter(c -> c.contains(part)).toList();
    }
  }

  @AfterEach
  void closeServers() throws IOException {
    for (RealServer s : servers) s.close();
  }

  private int run(BalancerBuiltinAgent agent, String action, Path config) throws Exception {
    StringWriter w = new StringWriter();
    int rc = agent.run(Invocation.of(AgentRef.parse("builtin:balancer"), "lb", action, Map.of("config", config.toString()),
        Duration.ofSeconds(20)), new PrintWriter(w, true));
    out = w.toString();
    return rc;
  }

  private Path config(String onFailure) throws IOException {
    for (int i = 0; i < 2; i++) servers.add(new RealServer());
    Path f = dir.resolve("vs.yaml");
    Files.writeString(f, """
        name: web
        listen: 10.77.0.10:80
        mode: ipvs
        on-failure: %s
        sorry-server: 10.77.0.99:80
        check: {type: tcp, interval: 100ms, timeout: 500ms, rise: 2, fall: 2}
        real-servers:
          - {address: 127.0.0.1:%d, forwarding: nat}
          - {address: 127.0.0.1:%d, forwarding: nat, weight: 3}
        """.formatted(onFailure, servers.get(0).port, servers.get(1).port));
    return f;
  }

  private BalancerBuiltinAgent agent(RecordingKernel kernel, Path procIpVs) {
    return new BalancerBuiltinAgent(new RunningBalancers((r, e) -> events.add(r + " " + e), InstantSource.system()), kernel, procIpVs);
  }

  @Test
  void theKernelsTableFollowsTheChecksAndStopRemovesTheService() throws Exception {
    RecordingKernel kernel = new RecordingKernel();
    BalancerBuiltinAgent agent = agent(kernel, Files.createFile(dir.resolve("ip_vs")));
    Path cfg = config("remove");
    String a = "127.0.0.1:" + servers.get(0).port;
    String b = "127.0.0.1:" + servers.get(1).port;
    assertThat(run(agent, "monitor", cfg)).isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(run(agent, "start", cfg)).as(out).isEqualTo(OcfRc.SUCCESS);
    assertThat(kernel.with("ipvsadm -")).containsSubsequence("ipvsadm -v", "ipvsadm -L -n -t 10.77.0.10:80", "ipvsadm -A -t 10.77.0.10:80 -s wlc",
        "ipvsadm -a -t 10.77.0.10:80 -r " + a + " -m -w 1", "ipvsadm -a -t 10.77.0.10:80 -r " + b + " -m -w 3");
    assertThat(run(agent, "monitor", cfg)).as(out).isEqualTo(OcfRc.SUCCESS);
    assertThat(run(agent, "start", cfg)).isEqualTo(OcfRc.SUCCESS);
    assertThat(out).contains("already running");
    assertThat(kernel.with(" -A ")).hasSize(1);

    servers.get(0).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> kernel.with("-d -t 10.77.0.10:80 -r " + a).size() == 1);
    servers.get(1).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> kernel.with("-a -t 10.77.0.10:80 -r 10.77.0.99:80 -m -w 1").size() == 1);
    assertThat(kernel.with("-d -t 10.77.0.10:80 -r " + b)).as("the last real server removed before the sorry server entered").hasSize(1);
    servers.get(1).reopen();
    await().atMost(Duration.ofSeconds(10)).until(() -> kernel.with("-d -t 10.77.0.10:80 -r 10.77.0.99:80").size() == 1);
    List<String> all = kernel.commands.stream().map(c -> String.join(" ", c)).toList();
    assertThat(all.lastIndexOf("ipvsadm -a -t 10.77.0.10:80 -r " + b + " -m -w 3"))
        .as("back in the table before the sorry server leaves it").isLessThan(all.lastIndexOf("ipvsadm -d -t 10.77.0.10:80 -r 10.77.0.99:80"))
        .isGreaterThan(all.indexOf("ipvsadm -d -t 10.77.0.10:80 -r " + b));
    assertThat(events).anyMatch(e -> e.contains("RealServerDown")).anyMatch(e -> e.contains("SorryServerActive"))
        .anyMatch(e -> e.contains("SorryServerInactive"));
    assertThat(run(agent, "monitor", cfg)).as(out).isEqualTo(OcfRc.SUCCESS);
    assertThat(out).contains(a + "=false").contains(b + "=true");

    assertThat(run(agent, "stop", cfg)).as(out).isEqualTo(OcfRc.SUCCESS);
    assertThat(kernel.services).isEmpty();
    int n = kernel.commands.size();
    servers.get(1).close(); // a change the checks would act on within fall x interval = 200 ms, had they outlived the stop
    Thread.sleep(600); // an absence cannot be polled for: three times that
    assertThat(kernel.commands.subList(n, kernel.commands.size())).as("no ipvsadm command after the stop").isEmpty();
    assertThat(run(agent, "monitor", cfg)).isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(run(agent, "stop", cfg)).isEqualTo(OcfRc.SUCCESS);
  }

  @Test
  void quiesceDrainsInsteadOfRemovingAndAFailedCommandFailsTheMonitor() throws Exception {
    RecordingKernel kernel = new RecordingKernel();
    BalancerBuiltinAgent agent = agent(kernel, Files.createFile(dir.resolve("ip_vs")));
    Path cfg = config("quiesce");
    String a = "127.0.0.1:" + servers.get(0).port;
    assertThat(run(agent, "start", cfg)).as(out).isEqualTo(OcfRc.SUCCESS);
    kernel.failOn = "-e -t 10.77.0.10:80 -r " + a + " -m -w 0";
    servers.get(0).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> kernel.with("-e -t 10.77.0.10:80 -r " + a + " -m -w 0").size() == 1);
    assertThat(kernel.with("-d -t")).as("quiesced, not removed").isEmpty();
    assertThat(run(agent, "monitor", cfg)).isEqualTo(OcfRc.ERR_GENERIC);
    assertThat(out).contains("an ipvsadm command failed", "Memory allocation problem");
    kernel.failOn = null;
    assertThat(run(agent, "start", cfg)).as("a start rebuilds it").isEqualTo(OcfRc.SUCCESS);
    assertThat(kernel.with(" -D ")).hasSize(1);
    assertThat(run(agent, "stop", cfg)).isEqualTo(OcfRc.SUCCESS);
  }

  @Test
  void aTableEntryNoDaemonManagesFailsTheMonitorAndStopRemovesIt() throws Exception {
    RecordingKernel kernel = new RecordingKernel();
    Path procIpVs = Files.createFile(dir.resolve("ip_vs"));
    Path cfg = config("remove");
    assertThat(run(agent(kernel, procIpVs), "start", cfg)).isEqualTo(OcfRc.SUCCESS);
    BalancerBuiltinAgent restarted = agent(kernel, procIpVs); // the daemon restarted: the kernel kept the table
    assertThat(run(restarted, "monitor", cfg)).isEqualTo(OcfRc.ERR_GENERIC);
    assertThat(out).contains("the kernel has virtual service 10.77.0.10:80 but this daemon does not keep it in step");
    assertThat(run(restarted, "stop", cfg)).isEqualTo(OcfRc.SUCCESS);
    assertThat(kernel.services).isEmpty();
    assertThat(run(restarted, "monitor", cfg)).isEqualTo(OcfRc.NOT_RUNNING);
  }

  @Test
  void withoutTheIpVsModuleStartIsNotInstalledAndChangesNothing() throws Exception {
    RecordingKernel kernel = new RecordingKernel();
    Path cfg = config("remove");
    BalancerBuiltinAgent agent = agent(kernel, dir.resolve("no-ip_vs"));
    assertThat(run(agent, "start", cfg)).isEqualTo(OcfRc.ERR_INSTALLED);
    assertThat(out).contains("this kernel has no IPVS", "use mode proxy here");
    assertThat(kernel.with("ipvsadm")).isEmpty();
    assertThat(run(agent, "monitor", cfg)).isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(run(agent, "stop", cfg)).isEqualTo(OcfRc.SUCCESS);
  }
}
