package io.vigil.agents.providerip;

import io.vigil.agents.ip.AgentResult;
import io.vigil.agents.ip.ConfigKey;
import io.vigil.agents.ip.Sleeper;
import io.vigil.exec.BuiltinAgent;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfMetadata;
import java.io.PrintWriter;
import java.time.InstantSource;

/** {@code builtin:provider-ip}: a hosting provider's failover IP behind the built-in interface. */
public final class ProviderIpBuiltinAgent implements BuiltinAgent {
  @Override
  public String type() {
    return "provider-ip";
  }

  @Override
  public String metadataXml() {
    OcfMetadata md = OcfMetadata.of("provider-ip", "Hosting-provider failover IP",
        "Routes a provider's failover IP (Hetzner Robot or a generic HTTP API) to this node; credentials come from a file.");
    for (ConfigKey<?> k : ProviderIpConfigKeys.ALL) {
      boolean required = k == ProviderIpConfigKeys.ADDRESS || k == ProviderIpConfigKeys.SELF
          || k == ProviderIpConfigKeys.CREDENTIALS_FILE;
      md.param(k.name(), required, "string", k.defaultValue().isPresent() ? k.defaultText() : null, k.doc());
    }
    return md.standardActions("120s", "60s").toXml();
  }

  @Override
  public int run(Invocation inv, PrintWriter out) throws Exception {
    ProviderIpParams params;
    try {
      params = ProviderIpParams.parse(inv.resourceId(), inv.params());
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
      return AgentResult.OCF_ERR_CONFIGURED;
    }
    if (inv.action().equals("validate-all")) return AgentResult.OCF_SUCCESS;
    ProviderIpAgent agent = ProviderIpAgent.create(params, ProviderIpAgent.defaultHttpClient(), InstantSource.system(),
        Sleeper.SYSTEM);
    AgentResult r = switch (inv.action()) {
      case "start" -> agent.start(inv.timeout());
      case "stop" -> agent.stop();
      case "monitor", "status" -> agent.monitor(inv.timeout());
      default -> AgentResult.failed(AgentResult.OCF_ERR_UNIMPLEMENTED, "action '" + inv.action() + "' is not implemented");
    };
    if (!r.message().isEmpty()) out.println(r.message());
    return r.rc();
  }
}
