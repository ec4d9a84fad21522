package io.vigil.cluster.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The joining side of enrollment: sends a CSR with the token's secret over TLS to the enrolling
 * node (pinned to the token's CA fingerprint) and receives its certificate.
 */
public final class Enrollment {
  static final int MAX_LINE = 256 * 1024;
  static final int TIMEOUT_MILLIS = 15_000;

  private Enrollment() {}

  /** What the enrolling node answered. */
  public record Joined(NodeCredentials credentials, String clusterName, JsonNode members) {}

  /** Enrolls {@code nodeName} whose Raft address is {@code address}; throws with the server's reason on refusal. */
  public static Joined join(JoinTokens.Token token, String nodeName, String address) throws IOException {
    KeyPair kp = ClusterCa.newKeyPair();
    PinnedTrust trust = new PinnedTrust(token.caFingerprint());
    ObjectMapper json = new ObjectMapper();
    ObjectNode req = json.createObjectNode();
    req.put("tokenId", token.id());
    req.put("secret", token.secret());
    req.put("node", nodeName);
    req.put("address", address);
    req.put("csr", Pem.encode(ClusterCa.csr(nodeName, kp)));
    String[] hp = token.enrollAddress().split(":");
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
      try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
        s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), TIMEOUT_MILLIS);
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.startHandshake();
        OutputStream out = s.getOutputStream();
        out.write((json.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null) throw new IOException("enrollment server " + token.enrollAddress() + " closed the connection");
        JsonNode resp = json.readTree(line);
        if (!resp.path("ok").asBoolean(false)) {
          throw new IOException("enrollment refused by " + token.enrollAddress() + ": " + resp.path("error").asText("no reason"));
        }
        X509Certificate ca = trust.ca();
        X509Certificate cert = Pem.certificate(resp.path("certificate").asText(), "enrollment answer");
        cert.verify(ca.getPublicKey());
        return new Joined(new NodeCredentials(ca, cert, kp.getPrivate(), Optional.empty()),
            resp.path("cluster").asText(), resp.path("members"));
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("enrollment with " + token.enrollAddress() + " failed: " + e.getMessage(), e);
    }
  }
}
