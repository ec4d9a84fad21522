package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cluster.daemon.ClusterSetup;
import io.vigil.cluster.daemon.NodeIdentity;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil node join|add|remove|standby|online|maintenance|attribute}: enrollment, membership, node states and attributes. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Join, add and remove cluster nodes.",
    subcommands = {NodeCommand.Join.class, NodeCommand.Add.class, NodeCommand.Remove.class, NodeCommand.Standby.class,
        NodeCommand.Online.class, NodeCommand.Maintenance.class, NodeCommand.Attribute.class})
public final class NodeCommand {

  /** Enrolls this node with a join token (gets its certificate); run it on the new node. */
  @Command(name = "join", mixinStandardHelpOptions = true,
      description = "Enroll this node with a join token: get a certificate signed by the cluster CA.")
  public static final class Join implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Option(names = "--token", required = true, description = "The token printed by 'vigil cluster token'.") String token;

    @Option(names = "--node", required = true, description = "This node's name.") String node;

    @Option(names = "--address", required = true, paramLabel = "HOST:PORT", description = "This node's Raft address.")
    String address;

    @Option(names = "--listener", description = "Join as a non-voting member (then: vigil node add NAME ADDR --listener).")
    boolean listener;

    @Override
    public Integer call() throws Exception {
      NodeIdentity id = ClusterSetup.join(dir.resolve(), token, node, address,
          listener ? io.vigil.cluster.state.Member.Role.LISTENER : io.vigil.cluster.state.Member.Role.VOTER);
      System.out.printf("node %s enrolled in cluster %s; state in %s%n", id.node(), id.cluster(), dir.resolve());
      System.out.println("next: vigil daemon run --state-dir " + dir.resolve()
          + ", then on a member: vigil node add " + id.node() + " " + id.address() + (listener ? " --listener" : ""));
      return 0;
    }
  }

  /** Adds a member to the Raft group (voter, or listener with --listener). */
  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a node to the Raft group (reconfiguration).")
  public static final class Add implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Parameters(index = "1", paramLabel = "HOST:PORT") String address;

    @Option(names = "--listener", description = "Add as a non-voting member (replicates, does not count for quorum).")
    boolean listener;

    @Override
    public Integer call() throws Exception {
      var req = ClusterCli.request("node-add");
      req.put("name", name).put("address", address).put("listener", listener);
      return print(ClusterCli.call(dir, req), "node add");
    }
  }

  /** Removes a member from the Raft group. */
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a node from the Raft group.")
  public static final class Remove implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      var req = ClusterCli.request("node-remove");
      req.put("name", name);
      return print(ClusterCli.call(dir, req), "node remove");
    }
  }

  /** Shared by standby/online/maintenance: set a node's state in the running cluster. */
  abstract static class SetState implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    abstract String state();

    @Override
    public Integer call() throws Exception {
      var req = ClusterCli.request("node-state");
      req.put("node", name);
      req.put("state", state());
      return print(ClusterCli.call(dir, req), "node " + state());
    }
  }

  @Command(name = "standby", mixinStandardHelpOptions = true, description = "Move every resource off NAME; it runs nothing until 'online'.")
  static final class Standby extends SetState {
    @Override
    String state() {
      return "standby";
    }
  }

  @Command(name = "online", mixinStandardHelpOptions = true, description = "Let NAME run resources again (ends standby or maintenance).")
  static final class Online extends SetState {
    @Override
    String state() {
      return "online";
    }
  }

  @Command(name = "maintenance", mixinStandardHelpOptions = true,
      description = "Leave NAME's resources alone (no starts, stops or monitor reactions) until 'online'.")
  static final class Maintenance extends SetState {
    @Override
    String state() {
      return "maintenance";
    }
  }

  /** Reads, sets or deletes a node attribute (promotion scores, attributes location rules test). */
  @Command(name = "attribute", mixinStandardHelpOptions = true,
      description = "Show NAME of NODE, or set it to VALUE, or --delete it (what agents do with crm_attribute).")
  static final class Attribute implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Parameters(index = "0", paramLabel = "NODE") String node;

    @Parameters(index = "1", paramLabel = "NAME") String name;

    @Parameters(index = "2", paramLabel = "VALUE", arity = "0..1") String value;

    @Option(names = "--delete", description = "Remove the attribute.") boolean delete;

    @Override
    public Integer call() throws Exception {
      if (delete && value != null) {
        System.err.println("vigil node attribute: give VALUE or --delete, not both; nothing was changed");
        return 2;
      }
      var req = ClusterCli.request("node-attribute");
      req.put("node", node).put("name", name).put("action", delete ? "delete" : value != null ? "set" : "query");
      if (value != null) req.put("value", value);
      JsonNode r = ClusterCli.call(dir, req);
      if (delete || value != null || !r.path("ok").asBoolean()) return print(r, "node attribute");
      if (r.path("values").isEmpty()) {
        System.err.println("vigil node attribute: " + name + " is not set on " + node);
        return 1;
      }
      System.out.println(r.path("values").get(0).path("value").asText());
      return 0;
    }
  }

  static int print(JsonNode r, String what) {
    if (!r.path("ok").asBoolean()) {
      System.err.println("vigil " + what + ": " + r.path("error").asText());
      return 1;
    }
    System.out.println(r.path("message").asText("done"));
    return 0;
  }
}
