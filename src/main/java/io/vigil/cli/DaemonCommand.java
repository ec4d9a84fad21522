package io.vigil.cli;

import io.vigil.cluster.daemon.Daemon;
import io.vigil.cluster.raft.VigilRaftConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vigil daemon run --state-dir DIR}: runs vigild in the foreground until SIGTERM. */
@Command(name = "daemon", mixinStandardHelpOptions = true, description = "Run the Vigil daemon (vigild).",
    subcommands = DaemonCommand.Run.class)
public final class DaemonCommand {

  /** Runs the daemon in the foreground. */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run vigild in the foreground until stopped.")
  public static final class Run implements Callable<Integer> {
    static {
      // Before this class's loggers exist: slf4j-simple reads its settings once, at the first logger.
      // Ratis logs every setting at INFO; operators need its warnings only (override with -D...).
      defaultProperty("org.slf4j.simpleLogger.log.org.apache.ratis", "warn");
      if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        defaultProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
      }
    }
    private static final org.slf4j.Logger CGROUP_LOG = org.slf4j.LoggerFactory.getLogger(io.vigil.exec.ResourceCgroups.class);
    private static final org.slf4j.Logger BALANCER_LOG =
        org.slf4j.LoggerFactory.getLogger(io.vigil.agents.balancer.agent.RunningBalancers.class);
    @Mixin ClusterCli.StateDirOption dir;

    @picocli.CommandLine.Option(names = "--agent-run-dir", paramLabel = "DIR",
        description = "Give OCF agents HA_VARRUN=DIR/ and HA_RSCTMP=DIR/resource-agents for their pid and lock files "
            + "(default: the agents' own /run paths, as under Pacemaker). Needed when several nodes share one host.")
    java.nio.file.Path agentRunDir;

    @picocli.CommandLine.Option(names = "--api", paramLabel = "HOST:PORT",
        description = "Also serve the REST API here (HTTPS with this node's cluster certificate); needs --api-token-file.")
    String apiAddress;

    @picocli.CommandLine.Option(names = "--api-token-file", paramLabel = "FILE",
        description = "File holding the REST API's bearer token (one line, at least 16 characters; keep it 0600).")
    java.nio.file.Path apiTokenFile;

    @picocli.CommandLine.Option(names = "--api-readonly-token-file", paramLabel = "FILE",
        description = "File holding a second, read-only bearer token for monitoring: GET routes only (status, history, "
            + "config, fencing history, /metrics); anything else gets 403. Optional; needs --api.")
    java.nio.file.Path apiReadOnlyTokenFile;

    @picocli.CommandLine.Option(names = "--watchdog", paramLabel = "MODE", defaultValue = "auto",
        description = "Self-fencing: auto (the --watchdog-device when present, else the supervisor process), supervisor, "
            + "or off (a frozen or killed vigild then leaves its resources running). Default: ${DEFAULT-VALUE}.")
    String watchdogMode;

    @picocli.CommandLine.Option(names = "--watchdog-device", paramLabel = "PATH", defaultValue = "/dev/watchdog",
        description = "Kernel watchdog device for --watchdog auto; its driver timeout must not exceed --watchdog-timeout. "
            + "Default: ${DEFAULT-VALUE}.")
    java.nio.file.Path watchdogDevice;

    @picocli.CommandLine.Option(names = "--watchdog-timeout", paramLabel = "DURATION", defaultValue = "2s",
        description = "Time after the last feed at which the watchdog acts (200ms..3s; fed only while this node's own "
            + "5 s lease outlasts it). Default: ${DEFAULT-VALUE}.")
    String watchdogTimeout;

    private static void defaultProperty(String key, String value) {
      if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    @Override
    public Integer call() throws Exception {
      io.vigil.fencing.watchdog.WatchdogSettings watchdog;
      try {
        watchdog = new io.vigil.fencing.watchdog.WatchdogSettings(io.vigil.fencing.watchdog.WatchdogSettings.mode(watchdogMode),
            watchdogDevice, io.vigil.model.Durations.parse(watchdogTimeout));
      } catch (IllegalArgumentException e) {
        System.err.println("vigil daemon run: " + e.getMessage());
        return 2;
      }
      Daemon d = new Daemon(dir.resolve(), VigilRaftConfig.DEFAULTS, Clock.systemUTC(), System::nanoTime, watchdog);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          d.close();
        } catch (Exception e) {
          System.err.println("vigild: error while stopping: " + e.getMessage());
        }
      }, "vigil-shutdown"));
      if ((apiAddress == null) != (apiTokenFile == null)) {
        System.err.println("vigil daemon run: --api and --api-token-file go together");
        return 2;
      }
      if (apiReadOnlyTokenFile != null && apiAddress == null) {
        System.err.println("vigil daemon run: --api-readonly-token-file needs --api and --api-token-file");
        return 2;
      }
      d.start();
      if (apiAddress != null) {
        var p = new io.vigil.cluster.raft.Peer("api", apiAddress, io.vigil.cluster.state.Member.Role.VOTER);
        d.startRestApi(new java.net.InetSocketAddress(p.host(), p.port()), apiTokenFile, apiReadOnlyTokenFile);
      }
      // Balancers run inside this JVM (docs/balancer.md): the agent starts them, status and /metrics read them.
      var balancers = new io.vigil.agents.balancer.agent.RunningBalancers((resource, e) -> recordBalancerEvent(d, resource, e),
          java.time.InstantSource.system());
      d.addLocalReport(new BalancerReport(balancers));
      // Each resource's agents run in a cgroup of their own where cgroup v2 is writable, so the
      // supervisor can kill what a resource started even if it left the agent's process group.
      var cgroups = io.vigil.exec.ResourceCgroups.create(io.vigil.exec.ResourceCgroups.nameFor(d.identity().node(), dir.resolve()));
      if (cgroups.isPresent()) {
        CGROUP_LOG.info("agents run in per-resource cgroups under {}", cgroups.get().base());
        Runtime.getRuntime().addShutdownHook(new Thread(cgroups.get()::removeEmpty, "vigil-cgroups"));
      } else {
        CGROUP_LOG.warn("no writable cgroup v2 hierarchy: resources are tracked by process group only (a daemon that calls"
            + " setsid is not killed by the self-fencing supervisor)");
      }
      var coordinator = coordinator(d, dir.resolve(), agentRunDir, balancers, cgroups);
      d.addStateListener(coordinator);
      d.addLivenessListener(coordinator);
      d.recordLostWith(coordinator::recordLost);
      coordinator.start();
      // The leader runs the fence devices' recurring monitors; their failures show in status and history.
      var deviceMonitoring = new io.vigil.cluster.coordinator.DeviceMonitoring(d.raft(), d.identity().node(), () -> currentConfig(d),
          io.vigil.fencing.device.DeviceFactory.system(), Clock.systemUTC());
      deviceMonitoring.start();
      System.out.println("vigild " + d.identity().node() + " running (cluster " + d.identity().cluster() + ")");
      System.out.flush();
      d.awaitStop();
      deviceMonitoring.close();
      coordinator.close();
      balancers.close();
      return 0;
    }

    /**
     * A balancer's health or weight change: in the daemon log, and in the cluster history (kind AGENT)
     * without waiting; without a quorum it stays in the log only.
     */
    private static void recordBalancerEvent(Daemon d, String resource, io.vigil.agents.balancer.BalancerEvent e) {
      String node = d.identity().node();
      String text = io.vigil.agents.balancer.agent.BalancerReports.describe(e);
      BALANCER_LOG.info("resource {}: {}", resource, text);
      if (text.length() > io.vigil.cluster.state.Command.RecordAgentEvent.MAX_TEXT) {
        text = text.substring(0, io.vigil.cluster.state.Command.RecordAgentEvent.MAX_TEXT - 3) + "...";
      }
      d.raft().submit(new io.vigil.cluster.state.Command.RecordAgentEvent(node, resource, text, "node:" + node, e.at().toEpochMilli()))
          .whenComplete((r, ex) -> {
            if (ex != null || !r.accepted()) {
              BALANCER_LOG.warn("resource {}: event not recorded in the cluster history ({})", resource,
                  ex != null ? ex.getMessage() : r.message());
            }
          });
    }

    /** The coordinator of this node: the real executor (with the built-in types) and fencing topology. */
    static io.vigil.cluster.coordinator.CoordinatorService coordinator(Daemon d, java.nio.file.Path stateDir,
        java.nio.file.Path agentRunDir, io.vigil.agents.balancer.agent.RunningBalancers balancers,
        java.util.Optional<io.vigil.exec.ResourceCgroups> cgroups) throws java.io.IOException {
      var config = io.vigil.exec.ExecConfig.defaults();
      if (agentRunDir != null) {
        java.nio.file.Files.createDirectories(agentRunDir.resolve("resource-agents"));
        config = config.withRunDir(agentRunDir.toAbsolutePath());
      }
      String node = d.identity().node();
      // Agents that set promotion scores or node attributes (crm_attribute, crm_master, attrd_updater
      // under HA_SBIN_DIR) act on this cluster through this daemon's control socket.
      String launcher = ProcessHandle.current().info().command().orElse(
          java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
      config = config.withSbinDir(AgentToolsDir.install(stateDir, io.vigil.cluster.daemon.StateDir.socket(stateDir), node, launcher,
          System.getProperty("java.class.path"), java.nio.file.Path.of("/usr/sbin")));
      // Agents see the cluster's name of this node (OCF_RESKEY_CRM_meta_on_node), as under Pacemaker.
      var executor = new io.vigil.exec.AgentExecutor(config, io.vigil.agents.BuiltinAgents.all(stateDir.resolve("builtin"), balancers, node,
          nodeAttributes(d, io.vigil.cluster.daemon.StateDir.socket(stateDir))),
          java.time.InstantSource.system(), System::nanoTime, node, java.util.List.of()).withObserver(d.actionObserver());
      if (cgroups.isPresent()) executor = executor.withCgroups(cgroups.get());
      // vigil apply sent to this node checks OCF agents' parameters against their meta-data here.
      d.checkAgentsWith(InstalledAgents.onThisNode(executor, node));
      var fencer = new io.vigil.cluster.coordinator.EngineFencer(() -> currentConfig(d), node, Clock.systemUTC());
      return new io.vigil.cluster.coordinator.CoordinatorService(d.raft(), node, executor, fencer, Clock.systemUTC());
    }

    /**
     * Node attributes for the built-in agents, which run inside this daemon: read from the local
     * replicated state, set through the control op node-attribute handled in this process (the same
     * validation and commit as crm_attribute's).
     */
    static io.vigil.agents.volume.agent.NodeAttributes nodeAttributes(Daemon d, java.nio.file.Path socket) {
      return new io.vigil.agents.volume.agent.NodeAttributes() {
        @Override
        public java.nio.file.Path controlSocket() {
          return socket.toAbsolutePath();
        }

        @Override
        public String get(String node, String name) {
          var n = d.raft().localState().status().nodes().get(node);
          return n == null ? null : n.attributes().get(name);
        }

        @Override
        public void set(String node, String name, String value) throws java.io.IOException {
          var req = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("op", "node-attribute")
              .put("action", value == null ? "delete" : "set").put("node", node).put("name", name);
          if (value != null) req.put("value", value);
          com.fasterxml.jackson.databind.JsonNode r;
          try {
            r = d.request(req, "builtin-agent");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted before attribute " + name + " of " + node + " was committed", e);
          } catch (Exception e) {
            throw new java.io.IOException("attribute " + name + " of " + node + " not committed: " + e.getMessage(), e);
          }
          if (!r.path("ok").asBoolean(false)) throw new java.io.IOException(r.path("error").asText(r.toString()));
        }
      };
    }

    private static java.util.Optional<io.vigil.model.ClusterConfig> currentConfig(Daemon d) {
      var state = d.raft().localState();
      if (state.epoch() == 0) return java.util.Optional.empty();
      return new io.vigil.config.ConfigLoader(io.vigil.config.AgentCatalog.NONE)
          .check(state.config().yaml(), "epoch-" + state.epoch()).config();
    }
  }
}
