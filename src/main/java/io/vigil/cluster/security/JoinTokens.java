package io.vigil.cluster.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One-time join tokens. The printed token is
 * {@code vigil1.<enroll host:port>.<id>.<secret>.<CA SHA-256 fingerprint>}; only the SHA-256 of the
 * secret is stored (replicated state), and the fingerprint lets the joining node check that it
 * talks to the real cluster before it sends anything.
 */
public final class JoinTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "vigil1";

  private JoinTokens() {}

  /** A parsed (or freshly issued) token. */
  public record Token(String enrollAddress, String id, String secret, String caFingerprint) {
    /** The text an operator copies to the joining node. */
    public String text() {
      return PREFIX + "." + enrollAddress.replace('.', '~') + "." + id + "." + secret + "." + caFingerprint;
    }

    @Override
    public String toString() {
      return "Token[id=" + id + ", enroll=" + enrollAddress + "]"; // never the secret
    }
  }

  /** Issues a new token for the cluster whose CA has {@code caFingerprint}. */
  public static Token issue(String enrollAddress, String caFingerprint) {
    byte[] id = new byte[6];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    return new Token(enrollAddress, HexFormat.of().formatHex(id),
        Base64.getUrlEncoder().withoutPadding().encodeToString(secret), caFingerprint);
  }

  /** Parses a token's text or says what is wrong with it (without echoing the secret). */
  public static Token parse(String text) {
    String[] p = text.trim().split("\\.");
    if (p.length != 5 || !p[0].equals(PREFIX)) {
      throw new IllegalArgumentException("join token is malformed: expected 5 parts starting with '" + PREFIX + ".'");
    }
    String addr = p[1].replace('~', '.');
    if (!addr.matches("[^:]+:[0-9]{1,5}")) throw new IllegalArgumentException("join token: enroll address '" + addr + "' is not host:port");
    if (!p[2].matches("[0-9a-f]{12}")) throw new IllegalArgumentException("join token: id is not 12 hex digits");
    if (!p[3].matches("[A-Za-z0-9_-]{43}")) throw new IllegalArgumentException("join token: secret has the wrong length or characters");
    if (!p[4].matches("[0-9a-f]{64}")) throw new IllegalArgumentException("join token: CA fingerprint is not 64 hex digits");
    return new Token(addr, p[2], p[3], p[4]);
  }

  /** SHA-256 (hex) of a secret, as stored in the replicated state. */
  public static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing", e);
    }
  }
}
