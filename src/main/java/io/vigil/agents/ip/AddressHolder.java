package io.vigil.agents.ip;

/**
 * Something that can hold a floating address: a local {@link FloatingAddressAgent}, or (in the
 * cluster) a proxy that runs the same actions on another node through the executor.
 */
public interface AddressHolder {
  AgentResult start();

  AgentResult stop();

  AgentResult monitor();
}
