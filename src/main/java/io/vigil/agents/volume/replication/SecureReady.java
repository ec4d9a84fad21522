package io.vigil.agents.volume.replication;

/** User event fired once the link is authenticated and encrypted (or plaintext was chosen): messages may flow. */
public enum SecureReady {
  INSTANCE
}
