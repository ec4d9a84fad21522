package io.vigil.agents.providerip;

import io.vigil.agents.ip.AgentResult;
import java.time.Duration;

/** A hosting provider's failover API, seen from one node. */
public interface FailoverDriver {

  /** Routes the address to this node; returns when the provider reports this node active. */
  AgentResult routeHere(Duration timeout);

  /** 0 when the provider routes the address to this node, 7 when to another, else an error. */
  AgentResult checkHere(Duration timeout);
}
