package io.vigil.agents.volume.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A per-volume secret shared by both nodes, read from a file (never logged). Session keys are
 * derived per connection and direction from it and both sides' fresh nonces.
 */
public final class SharedKey {
  private final byte[] master;

  private SharedKey(byte[] master) {
    this.master = master;
  }

  /** Reads a key file: at least 16 bytes of content, not readable by group or others. */
  public static SharedKey load(Path file) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
      throw new IOException("volume key " + file + " is readable by group or others; expected mode 0600 or 0400");
    }
    byte[] content = Files.readAllBytes(file);
    String trimmed = new String(content, StandardCharsets.ISO_8859_1).strip();
    if (trimmed.length() < 16) {
      throw new IOException("volume key " + file + " has " + trimmed.length() + " bytes; expected at least 16 (e.g. 32 random bytes, hex)");
    }
    return of(trimmed.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A key from raw secret bytes. */
  public static SharedKey of(byte[] secret) {
    try {
      return new SharedKey(MessageDigest.getInstance("SHA-256").digest(secret));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Derives the 256-bit key for one direction of one connection. */
  byte[] derive(String label, String volume, byte[] clientNonce, byte[] serverNonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(master, "HmacSHA256"));
      mac.update(("vigil-volume-v1 " + label + " ").getBytes(StandardCharsets.UTF_8));
      mac.update(volume.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(clientNonce);
      mac.update(serverNonce);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "SharedKey[redacted]";
  }
}
