package io.vigil.cluster.daemon;

import com.fasterxml.jackson.core.type.TypeReference;
import io.vigil.cluster.raft.Peer;
import io.vigil.cluster.security.Pem;
import io.vigil.cluster.state.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Who this node is, stored in {@code STATE_DIR/node.json}: cluster name, node name, Raft address,
 * enrollment address, and the Raft group to use at first start ({@code peers}).
 */
public record NodeIdentity(String cluster, String node, String address, String enrollAddress, List<Peer> peers) {
  public static final String FILE = "node.json";

  public NodeIdentity {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(address, "address");
    enrollAddress = enrollAddress == null ? "" : enrollAddress;
    peers = List.copyOf(peers);
  }

  /** This node as a Raft peer. */
  public Peer self() {
    return peers.stream().filter(p -> p.name().equals(node)).findFirst()
        .orElse(new Peer(node, address, io.vigil.cluster.state.Member.Role.VOTER));
  }

  public static NodeIdentity load(Path stateDir) throws IOException {
    Path f = stateDir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      throw new IOException(f + ": missing; run 'vigil cluster init' or 'vigil node join' with --state-dir " + stateDir);
    }
    try {
      return Codec.json().readValue(f.toFile(), new TypeReference<NodeIdentity>() {});
    } catch (IOException e) {
      throw new IOException(f + ": unreadable node identity: " + e.getMessage(), e);
    }
  }

  public void save(Path stateDir) throws IOException {
    Pem.writeAtomically(stateDir.resolve(FILE), Codec.json().writerWithDefaultPrettyPrinter().writeValueAsString(this), "rw-------");
  }
}
