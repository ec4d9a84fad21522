package io.vigil.agents.balancer;

/** A virtual-service configuration was rejected; the message says file:line:column, what and what was expected. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
