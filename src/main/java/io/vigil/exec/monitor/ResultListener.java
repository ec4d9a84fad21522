package io.vigil.exec.monitor;

import io.vigil.exec.ExecResult;

/** Receives every result the scheduler produces, one-shot and recurring, in completion order. */
@FunctionalInterface
public interface ResultListener {
  void onResult(ExecResult result);
}
