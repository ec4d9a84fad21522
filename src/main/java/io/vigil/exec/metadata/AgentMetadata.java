package io.vigil.exec.metadata;

import java.util.List;
import java.util.Optional;

/** An agent's parsed meta-data, plus the raw XML it came from. */
public record AgentMetadata(String name, String version, String shortDesc, String longDesc,
    List<ParameterSpec> parameters, List<ActionSpec> actions, String xml) {

  public AgentMetadata {
    parameters = List.copyOf(parameters);
    actions = List.copyOf(actions);
  }

  public Optional<ParameterSpec> parameter(String paramName) {
    return parameters.stream().filter(p -> p.name().equals(paramName)).findFirst();
  }

  /** The first action with this name (agents list monitor once per role). */
  public Optional<ActionSpec> action(String actionName) {
    return actions.stream().filter(a -> a.name().equals(actionName)).findFirst();
  }

  /** True when the agent advertises both promote and demote. */
  public boolean promotable() {
    return action("promote").isPresent() && action("demote").isPresent();
  }
}
