package io.vigil.cli;

import io.vigil.agents.volume.InitialData;
import io.vigil.agents.volume.Sizes;
import io.vigil.agents.volume.VolumeEngine;
import io.vigil.agents.volume.VolumeSettings;
import io.vigil.agents.volume.replication.Protocol;
import io.vigil.agents.volume.sync.SplitBrainPolicy;
import io.vigil.cluster.daemon.NodeIdentity;
import io.vigil.exec.AgentExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil volume create}: initialises this node's copy of a new volume, on one node (any); the
 * other node makes its copy at its first start from the peer's answer ({@code FirstStart}). Without
 * {@code --from} every copy is a fresh zero-filled file, identical by construction, so the copies
 * connect UpToDate/UpToDate with no initial sync; with {@code --from NODE} that node keeps its
 * existing data and the other copy is overwritten from it in the background.
 */
@Command(name = "create", description = "Initialise this node's copy of a new volume (on one node, any: the other makes its copy at its "
    + "first start from this one; fresh copies need no initial sync).")
public final class VolumeCreateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "Volume name.")
  String name;

  @Option(names = "--size", required = true, description = "Volume size, e.g. 20G.")
  String size;

  @Option(names = "--backing", required = true, paramLabel = "FILE", description = "This node's backing file or block device.")
  Path backing;

  @Option(names = "--node", description = "This node's name (default: the cluster's name of this node if the state directory holds "
      + "one, else the host name).")
  String node;

  @CommandLine.Mixin ClusterCli.StateDirOption stateDir;

  @Option(names = "--nodes", split = ",", paramLabel = "A,B", description = "All nodes of the volume (this node must be one of them).")
  List<String> nodes;

  @Option(names = "--from", paramLabel = "NODE", description = "Node whose existing data seeds the volume (copied to the others in the background).")
  String from;

  @Option(names = "--region-size", defaultValue = "256K", description = "Dirty-bitmap region size (default 256K).")
  String regionSize;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** This node's name: the cluster's (node.json in the state directory) if there is one, else the host name. */
  private String thisNode() throws java.io.IOException {
    Path dir = stateDir.resolve();
    if (Files.exists(dir.resolve(NodeIdentity.FILE))) return NodeIdentity.load(dir).node();
    return AgentExecutor.hostName();
  }

  @Override
  public Integer call() throws Exception {
    if (node == null) node = thisNode();
    if (nodes != null && !nodes.contains(node)) {
      throw new IllegalArgumentException("volume '" + name + "': --node '" + node + "' is not one of --nodes " + nodes);
    }
    if (nodes != null && nodes.size() != 2) {
      throw new IllegalArgumentException("volume '" + name + "': --nodes " + nodes + " must name exactly two nodes (more are not supported yet)");
    }
    if (from != null && nodes != null && !nodes.contains(from)) {
      throw new IllegalArgumentException("volume '" + name + "': --from '" + from + "' is not one of --nodes " + nodes);
    }
    VolumeSettings s = new VolumeSettings(name, node, backing, Sizes.parse(size), (int) Sizes.parse(regionSize),
        VolumeSettings.DEFAULT_AL_REGIONS, Protocol.C, SplitBrainPolicy.DISCONNECT, VolumeSettings.DEFAULT_RESYNC_RATE);
    InitialData initial;
    String what;
    if (from == null) {
      if (Files.exists(backing)) { // a block device or old file is not known to be zero
        throw new IllegalArgumentException("volume '" + name + "': " + backing + " already exists; a fresh volume needs a new backing file, "
            + "or pass --from NODE to keep NODE's data");
      }
      initial = InitialData.ZEROED;
      what = "zero-filled, UpToDate (identical to every other fresh copy: no initial sync)";
    } else if (from.equals(node)) {
      if (!Files.exists(backing)) throw new IllegalArgumentException("volume '" + name + "': --from " + node + " but " + backing + " does not exist");
      initial = InitialData.EXISTING_SOURCE;
      what = "existing data kept, UpToDate; the other copies are synced from it in the background";
    } else {
      initial = InitialData.SYNC_TARGET;
      what = "Inconsistent until synced from '" + from + "' in the background";
    }
    VolumeEngine.create(s, initial, Clock.systemUTC());
    spec.commandLine().getOut().println("volume '" + name + "' created on node '" + node + "': " + Sizes.format(s.size()) + " at "
        + backing + ", " + what + (nodes == null ? "" : "; nodes " + String.join(",", nodes)));
    return 0;
  }
}
