package io.vigil.agents.ip;

/**
 * Something that can hold a floating address: a local {@link FloatingAddressAgent}, or (in the
 * cluster) a proxy that runs the same actions on another node through the executor.
 */
public interface AddressHolder {
  AgentResult start();

  AgentResult stop();

  AgentResult monitor();

  /**
   * Planned move to this holder: while the current holder (answering from {@code currentMacs})
   * still has the address, check that nobody else answers for it. 0 = checked and clear, so
   * {@link #startPrechecked} may skip its own probe; 3 (unimplemented) = no such check here.
   */
  default AgentResult precheck(java.util.Set<String> currentMacs) {
    return new AgentResult(AgentResult.OCF_ERR_UNIMPLEMENTED, "no pre-check");
  }

  /** The link-layer addresses this holder answers from, for another holder's pre-check. */
  default java.util.Set<String> ownMacs() {
    return java.util.Set.of();
  }

  /** start after a successful {@link #precheck}: the neighbour probe is already done. */
  default AgentResult startPrechecked() {
    return start();
  }
}
