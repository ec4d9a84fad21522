package io.vigil.agents.volume.attach;

/** An attach, detach or check that failed, with the OCF rc it maps to and a reason for the operator. */
final class AttachFailure extends Exception {
  private final int rc;

  AttachFailure(int rc, String message) {
    super(message);
    this.rc = rc;
  }

  int rc() {
    return rc;
  }
}
