package io.vigil.agents.balancer.sched;

import java.net.InetAddress;

/** The kernel's address folding and multiplicative hash used by dh and sh. */
final class AddressHash {
  private static final int GOLDEN_RATIO_32 = 0x61C88647;

  private AddressHash() {}

  /** IPv4 as a host-order int; IPv6 folded by XOR of its four 32-bit words (ip_vs_sh_hashkey). */
  static int fold(InetAddress address) {
    byte[] b = address.getAddress();
    int folded = 0;
    for (int i = 0; i < b.length; i += 4) {
      folded ^= ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
    return folded;
  }

  /** hash_32(value, bits): the top {@code bits} bits of value times the golden ratio. */
  static int hash32(int value, int bits) {
    return (value * GOLDEN_RATIO_32) >>> (32 - bits);
  }
}
