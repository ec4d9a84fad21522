package io.vigil.cluster.state;

import java.util.Objects;

/** A one-time join token as stored: its id, the SHA-256 of its secret (hex), and when it expires. */
public record JoinToken(String id, String secretSha256, long expiresMillis, String author) {
  public JoinToken {
    Objects.requireNonNull(id, "token id");
    Objects.requireNonNull(secretSha256, "token hash");
    author = Sorted.text(author);
  }
}
