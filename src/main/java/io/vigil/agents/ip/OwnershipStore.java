package io.vigil.agents.ip;

import java.io.IOException;

/** Records which addresses Vigil added (the I/O seam behind {@link Ownership}). */
public interface OwnershipStore {
  boolean isRecorded(AddressKey key) throws IOException;

  /** Records the intent to add before the address is added, so a crash never leaks ownership. */
  void record(AddressKey key, String description) throws IOException;

  void forget(AddressKey key) throws IOException;
}
