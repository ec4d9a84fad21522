package io.vigil.cluster.state;

/**
 * The last known result of a fence device's recurring monitor, as the leader recorded it on a change.
 *
 * @param sinceMillis when the device entered its current state (ok or failing)
 * @param failures consecutive failed monitors when the record was made (0 when ok)
 * @param message the device's redacted summary of the last monitor
 * @param node the node whose leader ran the monitor
 */
public record DeviceStatus(String device, boolean ok, long sinceMillis, int failures, String message, String node) {
  /** Longest message kept, so a chatty device cannot bloat the state. */
  public static final int MAX_MESSAGE = 500;

  public DeviceStatus {
    device = Sorted.text(device);
    message = Sorted.text(message);
    if (message.length() > MAX_MESSAGE) message = message.substring(0, MAX_MESSAGE) + "...";
    node = Sorted.text(node);
  }
}
