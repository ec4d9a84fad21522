package io.vigil.exec.metadata;

import io.vigil.model.AgentRef;
import io.vigil.exec.AgentRunner;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfRc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each agent's meta-data action once and keeps the parsed result. Failures are not cached,
 * so an agent installed later is picked up.
 */
public final class MetadataCache {
  private final AgentRunner runner;
  private final Duration timeout;
  private final Map<AgentRef, AgentMetadata> cache = new ConcurrentHashMap<>();

  public MetadataCache(AgentRunner runner, Duration timeout) {
    this.runner = runner;
    this.timeout = timeout;
  }

  /** The agent's meta-data, running {@code meta-data} the first time. */
  public AgentMetadata get(AgentRef agent) throws MetadataException {
    AgentMetadata cached = cache.get(agent);
    if (cached != null) {
      return cached;
    }
    AgentMetadata fresh = MetadataParser.parse(agent.toString(), fetchXml(agent));
    AgentMetadata raced = cache.putIfAbsent(agent, fresh);
    return raced != null ? raced : fresh;
  }

  /** Runs the meta-data action and returns its XML, or throws with the agent's failure. */
  public String fetchXml(AgentRef agent) throws MetadataException {
    ExecResult r = runner.run(Invocation.of(agent, "meta-data", "meta-data", Map.of(), timeout));
    if (r.status() != ExecStatus.DONE || r.rc() != OcfRc.SUCCESS) {
      throw new MetadataException(agent + ": meta-data failed: rc=" + r.rc() + " " + r.rcName()
          + (r.detail().isEmpty() ? "" : ": " + r.detail())
          + (r.output().isBlank() ? "" : ": " + lastLine(r.output())));
    }
    return xmlPart(r.output());
  }

  // Output is stdout and stderr combined: drop any warning an agent printed around the XML.
  /** The XML part of meta-data output (agents may print warnings around it on stderr). */
  public static String xmlPart(String output) {
    int start = output.indexOf("<?xml");
    if (start < 0) {
      start = output.indexOf("<resource-agent");
    }
    int end = output.lastIndexOf("</resource-agent>");
    if (start < 0 || end < start) {
      return output;
    }
    return output.substring(start, end + "</resource-agent>".length());
  }

  /** Validates parameters against the agent's meta-data (see {@link ParameterValidator}). */
  public List<ParameterProblem> validate(AgentRef agent, Map<String, String> params) throws MetadataException {
    return ParameterValidator.validate(agent.toString(), get(agent), params);
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines[lines.length - 1];
  }
}
