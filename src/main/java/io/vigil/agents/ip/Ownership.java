package io.vigil.agents.ip;

/**
 * Ownership rules: Vigil removes only addresses it added. An address is ours when it is present
 * and Vigil recorded adding it; an address present before start without a record is someone
 * else's and survives stop. A record whose address is gone is stale and is dropped.
 *
 * <pre>
 *   present  recorded | start              stop
 *   -------  -------- | -----------------  -----------------
 *   no       no       | ADD                ALREADY_ABSENT
 *   no       yes      | ADD (stale record) ALREADY_ABSENT (drop record)
 *   yes      yes      | ALREADY_OURS       REMOVE
 *   yes      no       | PRESENT_NOT_OURS   LEAVE_NOT_OURS
 * </pre>
 */
public final class Ownership {
  private Ownership() {}

  /** What start does. */
  public enum StartAction { ADD, ALREADY_OURS, PRESENT_NOT_OURS }

  /** What stop does. */
  public enum StopAction { REMOVE, ALREADY_ABSENT, LEAVE_NOT_OURS }

  public static StartAction onStart(boolean present, boolean recorded) {
    if (!present) {
      return StartAction.ADD;
    }
    return recorded ? StartAction.ALREADY_OURS : StartAction.PRESENT_NOT_OURS;
  }

  public static StopAction onStop(boolean present, boolean recorded) {
    if (!present) {
      return StopAction.ALREADY_ABSENT;
    }
    return recorded ? StopAction.REMOVE : StopAction.LEAVE_NOT_OURS;
  }
}
