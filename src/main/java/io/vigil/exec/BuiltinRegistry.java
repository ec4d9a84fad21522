package io.vigil.exec;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The built-in agent types known to this node, by type name. */
public final class BuiltinRegistry {
  private final Map<String, BuiltinAgent> agents = new TreeMap<>();

  /** A registry with the agents that ship with the executor ({@code builtin:dummy}). */
  public static BuiltinRegistry withDefaults(java.nio.file.Path stateDir) {
    return new BuiltinRegistry().register(new DummyBuiltinAgent(stateDir));
  }

  /** Adds an agent; a second agent with the same type is a programming error. */
  public synchronized BuiltinRegistry register(BuiltinAgent agent) {
    if (agents.putIfAbsent(agent.type(), agent) != null) {
      throw new IllegalArgumentException("builtin agent type '" + agent.type() + "' registered twice");
    }
    return this;
  }

  public synchronized Optional<BuiltinAgent> find(String type) {
    return Optional.ofNullable(agents.get(type));
  }

  public synchronized Map<String, BuiltinAgent> all() {
    return Collections.unmodifiableMap(new TreeMap<>(agents));
  }
}
