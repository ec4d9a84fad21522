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

    @Override
    public Integer call() throws Exception {
      // Ratis logs every setting at INFO; operators need its warnings only (override with -D...).
      if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.ratis") == null) {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.ratis", "warn");
      }
      if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
      }
      Daemon d = new Daemon(dir.resolve(), VigilRaftConfig.DEFAULTS, Clock.systemUTC(), System::nanoTime);
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
      d.start();
      if (apiAddress != null) {
        var p = new io.vigil.cluster.raft.Peer("api", apiAddress, io.vigil.cluster.state.Member.Role.VOTER);
        d.startRestApi(new java.net.InetSocketAddress(p.host(), p.port()), apiTokenFile);
      }
      var coordinator = coordinator(d, dir.resolve(), agentRunDir);
      d.addStateListener(coordinator);
      d.addLivenessListener(coordinator);
      coordinator.start();
      System.out.println("vigild " + d.identity().node() + " running (cluster " + d.identity().cluster() + ")");
      System.out.flush();
      d.awaitStop();
      coordinator.close();
      return 0;
    }

    /** The coordinator of this node: the real executor (with the built-in types) and fencing topology. */
    static io.vigil.cluster.coordinator.CoordinatorService coordinator(Daemon d, java.nio.file.Path stateDir,
        java.nio.file.Path agentRunDir) throws java.io.IOException {
      var config = io.vigil.exec.ExecConfig.defaults();
      if (agentRunDir != null) {
        java.nio.file.Files.createDirectories(agentRunDir.resolve("resource-agents"));
        config = config.withRunDir(agentRunDir.toAbsolutePath());
      }
      String node = d.identity().node();
      // Agents see the cluster's name of this node (OCF_RESKEY_CRM_meta_on_node), as under Pacemaker.
      var executor = new io.vigil.exec.AgentExecutor(config, io.vigil.agents.BuiltinAgents.all(stateDir.resolve("builtin"), node),
          java.time.InstantSource.system(), System::nanoTime, node, java.util.List.of());
      var fencer = new io.vigil.cluster.coordinator.EngineFencer(() -> currentConfig(d), node, Clock.systemUTC());
      return new io.vigil.cluster.coordinator.CoordinatorService(d.raft(), node, executor, fencer, Clock.systemUTC());
    }

    private static java.util.Optional<io.vigil.model.ClusterConfig> currentConfig(Daemon d) {
      var state = d.raft().localState();
      if (state.epoch() == 0) return java.util.Optional.empty();
      return new io.vigil.config.ConfigLoader(io.vigil.config.AgentCatalog.NONE)
          .check(state.config().yaml(), "epoch-" + state.epoch()).config();
    }
  }
}
