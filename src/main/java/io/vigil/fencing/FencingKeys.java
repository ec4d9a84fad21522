package io.vigil.fencing;

import io.vigil.model.AttributeKey;
import java.time.Duration;
import java.util.List;

/**
 * Every {@code pcmk_*} device parameter Vigil understands, in one place: name, typed default, doc.
 * They configure Vigil and are never passed to the agent.
 */
public final class FencingKeys {
  private FencingKeys() {}

  public static final AttributeKey<String> HOST_LIST = AttributeKey.text("pcmk_host_list", "",
      "Nodes this device can fence, separated by spaces or commas.");
  public static final AttributeKey<String> HOST_MAP = AttributeKey.text("pcmk_host_map", "",
      "Node to port (plug) map, e.g. \"node1:1;node2:2\"; nodes listed here can be fenced.");
  public static final AttributeKey<String> HOST_CHECK = AttributeKey.choice("pcmk_host_check", null,
      "How to tell which nodes the device can fence (default: static-list when a list or map is set, "
          + "else dynamic-list).", "static-list", "dynamic-list", "none");
  public static final AttributeKey<String> DELAY_BASE = AttributeKey.text("pcmk_delay_base", "0s",
      "Static delay before fencing, or a per-node map \"node1:0s;node2:5s\" (two-node fence races).");
  public static final AttributeKey<Duration> DELAY_MAX = AttributeKey.duration("pcmk_delay_max", "0s",
      "Upper bound of base plus a random delay before fencing; 0 means no random part.");
  public static final AttributeKey<Integer> RETRIES = AttributeKey.integer("pcmk_retries", 0, "2",
      "How often a failed or timed-out action is retried on this device before the level fails.");
  public static final AttributeKey<Duration> ACTION_TIMEOUT = AttributeKey.duration("pcmk_action_timeout", null,
      "Timeout of every action on this device (default: the cluster's fencing-timeout); "
          + "pcmk_<action>_timeout overrides it per action.");

  public static final AttributeKey<String> HOST_ARGUMENT = AttributeKey.text("pcmk_host_argument", "plug",
      "Parameter name under which the node's port is sent to the agent (plug, port, nodename, ...); none to omit it.");

  /** Keys with a fixed name; pcmk_&lt;action&gt;_timeout and pcmk_&lt;action&gt;_retries are accepted too. */
  public static final List<AttributeKey<?>> ALL =
      List.of(HOST_LIST, HOST_MAP, HOST_CHECK, HOST_ARGUMENT, DELAY_BASE, DELAY_MAX, RETRIES, ACTION_TIMEOUT);

  /** Whether a parameter is for Vigil (any {@code pcmk_} name) rather than for the agent. */
  public static boolean isVigilParam(String name) {
    return name.startsWith("pcmk_");
  }
}
