package io.vigil.config;

import io.vigil.model.AgentRef;
import io.vigil.model.ResourceClass;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the checker may know about agents: which are installed and which parameters they take.
 * The executor supplies the real one (from agents' meta-data); the configuration code never runs
 * anything itself.
 */
public interface AgentCatalog {

  /**
   * An agent's parameters as its meta-data declares them.
   *
   * @param aliases older names that stand for a parameter (fence-agents' {@code obsoletes}: {@code ipaddr} for
   *     {@code ip}): an alias satisfies the parameter's requirement
   */
  record AgentDescription(List<String> parameters, Set<String> required, Set<String> actions, Map<String, String> aliases) {
    public AgentDescription {
      parameters = List.copyOf(parameters);
      required = Set.copyOf(required);
      actions = Set.copyOf(actions);
      aliases = Map.copyOf(aliases);
    }

    public AgentDescription(List<String> parameters, Set<String> required, Set<String> actions) {
      this(parameters, required, actions, Map.of());
    }
  }

  /** Whether agents of this class can be looked up here (systemd units may not be). */
  boolean canCheck(ResourceClass resourceClass);

  /** Whether this agent can be looked up here; by default, whether its class can. */
  default boolean canCheck(AgentRef agent) {
    return canCheck(agent.resourceClass());
  }

  /**
   * For an agent {@link #canCheck} declines: why, when its user should hear of it (e.g. it is not
   * installed on the node that checks), as the end of "agent X ..."; empty to skip it quietly.
   */
  default Optional<String> uncheckedBecause(AgentRef agent) {
    return Optional.empty();
  }

  /** Why {@link #describe} found nothing, as the end of "agent X ...". */
  default String notDescribed(AgentRef agent) {
    return "is not installed on this host";
  }

  /** The agent's description; empty when it is not installed (or has no usable meta-data). */
  Optional<AgentDescription> describe(AgentRef agent);

  /** Knows nothing; agent checks are skipped. */
  AgentCatalog NONE = new AgentCatalog() {
    @Override
    public boolean canCheck(ResourceClass resourceClass) {
      return false;
    }

    @Override
    public Optional<AgentDescription> describe(AgentRef agent) {
      return Optional.empty();
    }
  };
}
