package io.vigil.exec;

/**
 * Told about every finished action, with the process group and cgroup the agent ran in, so that a caller can
 * track what a resource left running (self-fencing registers the groups its supervisor must kill).
 * Implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface ActionObserver {
  /** Observes nothing. */
  ActionObserver NONE = (result, processGroup, cgroup) -> {};

  /**
   * Called after {@code result}; {@code processGroup} is the process group (and session) the OCF
   * or LSB agent ran in, which a daemon it started in the background keeps unless it calls setsid
   * itself; 0 for built-in agents and systemd units (their processes are not Vigil's children).
   * {@code cgroup} is the resource's cgroup the agent ran in ({@link ResourceCgroups}), which
   * nothing it started can leave; null when agents do not run in cgroups.
   */
  void finished(ExecResult result, long processGroup, java.nio.file.Path cgroup);
}
