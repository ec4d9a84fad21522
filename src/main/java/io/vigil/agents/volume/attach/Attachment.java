package io.vigil.agents.volume.attach;

import java.nio.file.Path;

/** One way of making an NBD export a block device on this node. */
interface Attachment {
  /** Attaches (or finds this resource's attachment already in place) and returns the block device. */
  Path attach(long deadlineNanos) throws AttachFailure, InterruptedException;

  /** The attached device, or null when this resource has nothing attached on this node. */
  Path attached();

  /** Why the attachment is not whole (a dead client, a missing device); null when it is healthy or absent. */
  String problem();

  /** Detaches; nothing attached is success. The caller has checked that the device is not mounted. */
  void detach(long deadlineNanos) throws AttachFailure, InterruptedException;
}
