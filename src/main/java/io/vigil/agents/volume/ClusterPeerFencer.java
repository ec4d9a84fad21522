package io.vigil.agents.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Fences the peer through the local vigild's control socket with the op {@code node-attribute}, as
 * the {@code crm_attribute} tool vigild gives OCF agents does (one JSON request line, one JSON
 * answer; spoken here directly rather than through io.vigil.cluster, which agents may not use, and
 * without a JVM start per call, which would lengthen the freeze): first the mark the peer's agent
 * honours ({@link PeerFencer#markAttribute}), then the peer's promotion score is deleted, so the
 * scheduler stops choosing it. Each step is a committed Raft command before the next; the mark alone
 * already makes the peer's agent refuse promotion.
 */
public final class ClusterPeerFencer implements PeerFencer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path socket;
  private final String resource;
  private final String self;

  /** Fences through the daemon at {@code socket} for the cluster resource {@code resource}, recorded as by {@code self}. */
  public ClusterPeerFencer(Path socket, String resource, String self) {
    this.socket = socket;
    this.resource = resource;
    this.self = self;
  }

  @Override
  public void outdate(String peerNode, long generation) throws IOException {
    call(request("set", peerNode, PeerFencer.markAttribute(resource)).put("value", PeerFencer.markValue(generation, self)));
    call(request("delete", peerNode, PeerFencer.promotionScore(resource)));
  }

  private static ObjectNode request(String action, String node, String name) {
    return JSON.createObjectNode().put("op", "node-attribute").put("action", action).put("node", node).put("name", name);
  }

  private void call(ObjectNode req) throws IOException {
    JsonNode r;
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) c.write(out);
      c.shutdownOutput();
      byte[] all = Channels.newInputStream(c).readAllBytes();
      if (all.length == 0) throw new IOException("vigild at " + socket + " closed the connection without answering");
      r = JSON.readTree(new String(all, StandardCharsets.UTF_8));
    } catch (java.net.SocketException e) {
      throw new IOException("cannot reach vigild at " + socket + ": " + e.getMessage(), e);
    }
    if (!r.path("ok").asBoolean(false)) {
      throw new IOException("vigild refused " + req.path("action").asText() + " of " + req.path("name").asText() + " on node '"
          + req.path("node").asText() + "': " + r.path("error").asText(r.toString()));
    }
  }
}
