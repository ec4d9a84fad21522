package io.vigil.agents.ip;

import java.net.InetAddress;
import java.util.Optional;

/** Identity of a configured address for ownership records: namespace, interface, address. */
public record AddressKey(Optional<String> netns, String device, InetAddress address) {

  /** A file-name-safe rendering, e.g. {@code default_eth0_10.0.0.5} or {@code h1_eth0_fd00..5}. */
  public String fileName() {
    return netns.orElse("-") + "_" + device + "_" + Addresses.text(address).replace(':', '.');
  }
}
