package io.vigil.agents.ip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;

/**
 * One small file per owned address in a state directory (default /run/vigil/ip, a tmpfs: after a
 * reboot both the addresses and the records are gone). Written atomically via rename.
 */
public final class FileOwnershipStore implements OwnershipStore {
  private final Path dir;
  private final InstantSource clock;

  public FileOwnershipStore(Path dir, InstantSource clock) {
    this.dir = dir;
    this.clock = clock;
  }

  @Override
  public boolean isRecorded(AddressKey key) {
    return Files.isRegularFile(dir.resolve(key.fileName()));
  }

  @Override
  public void record(AddressKey key, String description) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve(key.fileName());
    Path tmp = dir.resolve(key.fileName() + ".tmp");
    String body = "added-by=vigil\naddress=" + description + "\nat=" + clock.instant() + "\n";
    Files.writeString(tmp, body, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void forget(AddressKey key) throws IOException {
    Files.deleteIfExists(dir.resolve(key.fileName()));
  }
}
