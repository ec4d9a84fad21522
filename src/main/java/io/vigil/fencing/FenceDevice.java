package io.vigil.fencing;

import java.time.Duration;

/**
 * One fence device: the seam between the fencing engine and whatever cuts a node's power.
 * Implementations never throw for a failed action; they return a failed {@link FenceResult}.
 */
public interface FenceDevice {
  /** The device's resource id in the configuration. */
  String id();

  /** Device → node mapping, delays, timeouts and retries parsed from its {@code pcmk_*} parameters. */
  DeviceSettings settings();

  /**
   * Runs one action against {@code node} (ignored by list, metadata, validate-all and monitor) and
   * waits at most {@code timeout}; the device's process group is killed at expiry.
   */
  FenceResult run(FenceAction action, String node, Duration timeout) throws InterruptedException;
}
