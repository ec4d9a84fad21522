package io.vigil.cluster.raft;

import io.vigil.cluster.state.Member;
import java.util.Objects;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;

/** A Raft group member: node name (the Ratis peer id), gRPC address host:port, voter or listener. */
public record Peer(String name, String address, Member.Role role) {
  public Peer {
    Objects.requireNonNull(name, "peer name");
    Objects.requireNonNull(address, "peer address");
    Objects.requireNonNull(role, "peer role");
    if (!address.matches("[^:\\s]+:[0-9]{1,5}")) throw new IllegalArgumentException("peer '" + name + "': address '" + address + "' is not host:port");
  }

  RaftPeer toRatis() {
    return RaftPeer.newBuilder().setId(name).setAddress(address)
        .setStartupRole(role == Member.Role.VOTER ? RaftPeerRole.FOLLOWER : RaftPeerRole.LISTENER).build();
  }

  static Peer of(RaftPeer p, Member.Role role) {
    return new Peer(p.getId().toString(), p.getAddress(), role);
  }

  public String host() {
    return address.substring(0, address.lastIndexOf(':'));
  }

  public int port() {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}
