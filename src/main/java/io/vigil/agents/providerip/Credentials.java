package io.vigil.agents.providerip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Set;

/**
 * API credentials read from a file (never from the configuration). Basic: one line
 * {@code user:password} as curl -u takes it; bearer: one line with the token. The file must not
 * be readable by others. Messages name the file, never its content.
 */
public sealed interface Credentials {

  /** Value of the Authorization header; a secret itself. */
  Secret authorization();

  /** HTTP Basic. */
  record Basic(String user, Secret password) implements Credentials {
    @Override
    public Secret authorization() {
      String raw = user + ":" + password.reveal();
      return new Secret("Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Bearer token. */
  record Bearer(Secret token) implements Credentials {
    @Override
    public Secret authorization() {
      return new Secret("Bearer " + token.reveal());
    }
  }

  /** The kinds a configuration may name. */
  enum Kind { BASIC, BEARER }

  /** Reads and checks a credentials file; errors say which file and what was expected. */
  static Credentials read(Path file, Kind kind) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("credentials file " + file + " does not exist or is not a regular file");
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (perms.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IOException("credentials file " + file + " is readable by others; "
            + "expected mode 0600 or 0640 (chmod o-r " + file + ")");
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
    String line = Files.readString(file, StandardCharsets.UTF_8).lines()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst().orElse("");
    if (line.isEmpty()) {
      throw new IOException("credentials file " + file + " is empty; expected one line "
          + (kind == Kind.BASIC ? "USER:PASSWORD" : "with the token"));
    }
    if (kind == Kind.BEARER) {
      return new Bearer(new Secret(line));
    }
    int colon = line.indexOf(':');
    if (colon <= 0 || colon == line.length() - 1) {
      throw new IOException("credentials file " + file + ": expected one line USER:PASSWORD");
    }
    return new Basic(line.substring(0, colon), new Secret(line.substring(colon + 1)));
  }
}
