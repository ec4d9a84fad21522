package io.vigil.exec;

/**
 * Runs one resource-agent action and reports its result; the seam between the cluster and
 * real agents. Implementations never throw for agent failures: every outcome is a result.
 */
@FunctionalInterface
public interface AgentRunner {
  /** Runs the invocation to completion or timeout. Blocking; call from a worker thread. */
  ExecResult run(Invocation invocation);
}
