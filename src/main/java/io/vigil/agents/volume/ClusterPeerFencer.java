package io.vigil.agents.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.exec.ControlClient;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fences the peer through the local vigild's control socket ({@link ControlClient}) with the op
 * {@code node-attribute}, as the {@code crm_attribute} tool vigild gives OCF agents does, but
 * without a JVM start per call, which would lengthen the freeze: first the mark the peer's agent
 * honours ({@link PeerFencer#markAttribute}), then the peer's promotion score is deleted, so the
 * scheduler stops choosing it. Each step is a committed Raft command before the next; the mark alone
 * already makes the peer's agent refuse promotion.
 */
public final class ClusterPeerFencer implements PeerFencer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ControlClient client;
  private final String resource;
  private final String self;

  /** Fences through the daemon at {@code socket} for the cluster resource {@code resource}, recorded as by {@code self}. */
  public ClusterPeerFencer(Path socket, String resource, String self) {
    this.client = new ControlClient(socket);
    this.resource = resource;
    this.self = self;
  }

  @Override
  public void outdate(String peerNode, long generation) throws IOException {
    call(request("set", peerNode, PeerFencer.markAttribute(resource)).put("value", PeerFencer.markValue(generation, self)));
    call(request("delete", peerNode, PeerFencer.promotionScore(resource)));
  }

  @Override
  public void clearMark(String node) throws IOException {
    call(request("delete", node, PeerFencer.markAttribute(resource)));
  }

  /** The cluster resource whose mark this fencer writes. */
  public String resource() {
    return resource;
  }

  private static ObjectNode request(String action, String node, String name) {
    return JSON.createObjectNode().put("op", "node-attribute").put("action", action).put("node", node).put("name", name);
  }

  private void call(ObjectNode req) throws IOException {
    JsonNode r = client.call(req);
    if (!r.path("ok").asBoolean(false)) {
      throw new IOException("vigild refused " + req.path("action").asText() + " of " + req.path("name").asText() + " on node '"
          + req.path("node").asText() + "': " + r.path("error").asText(r.toString()));
    }
  }
}
