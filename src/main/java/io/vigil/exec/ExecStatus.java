package io.vigil.exec;

/**
 * How an action ended, independent of its rc (Pacemaker's "execution status"): the agent ran
 * to completion, timed out, was not installed, could not be run, or was cancelled.
 */
public enum ExecStatus {
  /** The agent ran and exited; the rc is its exit code. */
  DONE,
  /** The action exceeded its timeout and its process group was killed. */
  TIMED_OUT,
  /** The agent (script, unit or built-in type) does not exist here. */
  NOT_INSTALLED,
  /** The agent could not be executed or died of a signal. */
  ERROR,
  /** A recurring action was cancelled before it ran to completion. */
  CANCELLED
}
