package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cluster.daemon.ClusterSetup;
import io.vigil.cluster.daemon.NodeIdentity;
import io.vigil.model.Durations;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil cluster init|token|maintenance}: create a cluster, issue join tokens, maintenance mode. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Create a cluster, issue join tokens, switch maintenance mode.",
    subcommands = {ClusterCommand.Init.class, ClusterCommand.Token.class, ClusterCommand.Maintenance.class})
public final class ClusterCommand {

  /** Creates the cluster CA and the first node's certificate and identity. */
  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create a new cluster: its CA, and this node's certificate and identity.")
  public static final class Init implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Option(names = "--name", required = true, description = "Cluster name.") String name;

    @Option(names = "--node", required = true, description = "This node's name.") String node;

    @Option(names = "--address", required = true, paramLabel = "HOST:PORT", description = "This node's Raft address.")
    String address;

    @Option(names = "--enroll-address", paramLabel = "HOST:PORT",
        description = "Where joining nodes enroll (default: Raft port + 1).") String enrollAddress;

    @Override
    public Integer call() throws Exception {
      NodeIdentity id = ClusterSetup.init(dir.resolve(), name, node, address, enrollAddress, Instant.now());
      System.out.printf("cluster %s created; node %s at %s (enrollment at %s); state in %s%n",
          id.cluster(), id.node(), id.address(), id.enrollAddress(), dir.resolve());
      System.out.println("next: vigil daemon run --state-dir " + dir.resolve() + ", then vigil cluster token");
      return 0;
    }
  }

  /** Issues a one-time join token through the local daemon. */
  @Command(name = "token", mixinStandardHelpOptions = true, description = "Issue a one-time join token.")
  public static final class Token implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Option(names = "--ttl", defaultValue = "1h", description = "How long the token is valid (default ${DEFAULT-VALUE}).")
    String ttl;

    @Override
    public Integer call() throws Exception {
      var req = ClusterCli.request("token");
      req.put("ttlSeconds", Durations.parse(ttl).toSeconds());
      JsonNode r = ClusterCli.call(dir, req);
      if (!r.path("ok").asBoolean()) {
        System.err.println("vigil cluster token: " + r.path("error").asText());
        return 1;
      }
      System.out.println(r.path("token").asText());
      return 0;
    }
  }

  /** Sets the maintenance-mode property of the running cluster. */
  @Command(name = "maintenance", mixinStandardHelpOptions = true,
      description = "on: the cluster leaves every resource alone (no start, stop, recovery); off: it manages them again.")
  public static final class Maintenance implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "on|off") String mode;

    @Override
    public Integer call() throws Exception {
      if (!mode.equals("on") && !mode.equals("off")) {
        System.err.println("vigil cluster maintenance: '" + mode + "', expected on or off");
        return 2;
      }
      var req = ClusterCli.request("cluster-maintenance");
      req.put("on", mode.equals("on"));
      return NodeCommand.print(ClusterCli.call(dir, req), "cluster maintenance");
    }
  }
}
