package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cluster.raft.Peer;
import io.vigil.cluster.security.ClusterCa;
import io.vigil.cluster.security.Enrollment;
import io.vigil.cluster.security.JoinTokens;
import io.vigil.cluster.security.NodeCredentials;
import io.vigil.cluster.state.Member;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Creates a node's state directory: the first node of a new cluster, or a node joining one. */
public final class ClusterSetup {
  private ClusterSetup() {}

  /** {@code vigil cluster init}: new CA, the first node's certificate and identity. */
  public static NodeIdentity init(Path stateDir, String cluster, String node, String address, String enrollAddress, Instant now)
      throws IOException {
    refuseExisting(stateDir);
    Peer self = new Peer(node, address, Member.Role.VOTER);
    StateDir.prepare(stateDir);
    ClusterCa ca = ClusterCa.create(cluster, now);
    var kp = ClusterCa.newKeyPair();
    var cert = ca.sign(ClusterCa.csr(node, kp), node, self.host(), now);
    new NodeCredentials(ca.certificate(), cert, kp.getPrivate(), Optional.of(ca)).save(stateDir);
    NodeIdentity id = new NodeIdentity(cluster, node, address, enrollAddress(enrollAddress, self), List.of(self));
    id.save(stateDir);
    return id;
  }

  /**
   * {@code vigil node join}: enrolls with a token and writes credentials and identity; a
   * listener must know its role at first start (Ratis fixes a server's startup role).
   */
  public static NodeIdentity join(Path stateDir, String tokenText, String node, String address, Member.Role role)
      throws IOException {
    refuseExisting(stateDir);
    Peer self = new Peer(node, address, role);
    JoinTokens.Token token = JoinTokens.parse(tokenText);
    Enrollment.Joined joined = Enrollment.join(token, node, address);
    StateDir.prepare(stateDir);
    joined.credentials().save(stateDir);
    List<Peer> peers = new ArrayList<>();
    for (JsonNode m : joined.members()) {
      String name = m.path("name").asText();
      if (!name.equals(node)) {
        peers.add(new Peer(name, m.path("address").asText(), Member.Role.valueOf(m.path("role").asText("VOTER"))));
      }
    }
    peers.add(self);
    NodeIdentity id = new NodeIdentity(joined.clusterName(), node, address, "", peers);
    id.save(stateDir);
    return id;
  }

  /** The enrollment address: given, or the Raft port + 1 on the same host. */
  static String enrollAddress(String given, Peer self) {
    if (given != null && !given.isBlank()) return given;
    return self.host() + ":" + (self.port() + 1);
  }

  private static void refuseExisting(Path stateDir) throws IOException {
    if (Files.exists(stateDir.resolve(NodeIdentity.FILE))) {
      throw new IOException(stateDir + " already holds a node (" + NodeIdentity.FILE + " exists); use another --state-dir");
    }
  }
}
