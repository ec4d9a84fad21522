package io.vigil.cluster.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.net.ssl.SSLServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves enrollment on a node holding the CA: one JSON request per TLS connection (no client
 * certificate: the joiner has none yet); the token is redeemed through the replicated state so it
 * works once cluster-wide, then the CSR is signed. Bad requests get an error line, never a crash.
 */
public final class EnrollmentServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EnrollmentServer.class);

  /** Redeems a token through Raft; returns normally if accepted, throws with the reason otherwise. */
  public interface Redeemer {
    void redeem(String tokenId, String secretSha256, String node, String address) throws Exception;
  }

  /** What the server tells a joined node about the cluster. */
  public interface ClusterInfo {
    String clusterName();

    JsonNode members();
  }

  private final NodeCredentials creds;
  private final ClusterCa ca;
  private final Redeemer redeemer;
  private final ClusterInfo info;
  private final Clock clock;
  private final ServerSocket server;
  private final Thread acceptor;
  private final ObjectMapper json = new ObjectMapper();

  public EnrollmentServer(InetSocketAddress bind, NodeCredentials creds, Redeemer redeemer, ClusterInfo info, Clock clock)
      throws IOException {
    this.creds = creds;
    this.ca = creds.authority().orElseThrow(() -> new IOException("this node holds no CA key; it cannot enroll nodes"));
    this.redeemer = redeemer;
    this.info = info;
    this.clock = clock;
    SSLServerSocket s = (SSLServerSocket) creds.sslContext().getServerSocketFactory().createServerSocket();
    s.setNeedClientAuth(false);
    s.setReuseAddress(true);
    s.bind(bind, 16);
    this.server = s;
    this.acceptor = Thread.ofPlatform().daemon().name("vigil-enroll").start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket c = server.accept();
        Thread.ofVirtual().name("vigil-enroll-conn").start(() -> serve(c));
      } catch (IOException e) {
        if (!server.isClosed()) LOG.warn("enrollment accept failed: {}", e.getMessage());
      }
    }
  }

  private void serve(Socket c) {
    try (c) {
      c.setSoTimeout(Enrollment.TIMEOUT_MILLIS);
      String line = readLine(c.getInputStream());
      ObjectNode resp = json.createObjectNode();
      try {
        handle(json.readTree(line), resp);
      } catch (Exception e) {
        resp.removeAll();
        resp.put("ok", false);
        resp.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        LOG.warn("enrollment from {} refused: {}", c.getRemoteSocketAddress(), resp.get("error").asText());
      }
      OutputStream out = c.getOutputStream();
      out.write((json.writeValueAsString(resp) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      LOG.debug("enrollment connection failed: {}", e.getMessage());
    }
  }

  private void handle(JsonNode req, ObjectNode resp) throws Exception {
    String node = text(req, "node");
    String address = text(req, "address");
    if (!node.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) throw new IOException("node name '" + node + "' is not valid");
    if (!address.matches("[^:\\s]+:[0-9]{1,5}")) throw new IOException("address '" + address + "' is not host:port");
    var csr = Pem.csr(text(req, "csr"), "certificate request");
    redeemer.redeem(text(req, "tokenId"), JoinTokens.hash(text(req, "secret")), node, address);
    var cert = ca.sign(csr, node, address.substring(0, address.lastIndexOf(':')), clock.instant());
    resp.put("ok", true);
    resp.put("certificate", Pem.encode(cert));
    resp.put("ca", Pem.encode(creds.ca()));
    resp.put("cluster", info.clusterName());
    resp.set("members", info.members());
  }

  private static String text(JsonNode req, String field) throws IOException {
    JsonNode n = req == null ? null : req.get(field);
    if (n == null || !n.isTextual()) throw new IOException("request lacks the text field '" + field + "'");
    return n.asText();
  }

  private static String readLine(InputStream in) throws IOException {
    byte[] buf = new byte[Enrollment.MAX_LINE];
    int n = 0;
    while (n < buf.length) {
      int b = in.read();
      if (b < 0 || b == '\n') return new String(buf, 0, n, StandardCharsets.UTF_8);
      buf[n++] = (byte) b;
    }
    throw new IOException("request longer than " + Enrollment.MAX_LINE + " bytes");
  }

  @Override
  public void close() throws IOException {
    server.close();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
