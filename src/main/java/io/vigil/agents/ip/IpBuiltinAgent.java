package io.vigil.agents.ip;

import io.vigil.exec.BuiltinAgent;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfMetadata;
import java.io.PrintWriter;
import java.util.function.Function;

/** {@code builtin:ip}: the floating address agent behind the executor's built-in interface. */
public final class IpBuiltinAgent implements BuiltinAgent {
  private final Function<IpParams, FloatingAddressAgent> factory;
  private final java.util.Optional<java.nio.file.Path> stateDir;

  /** An agent whose ownership records live in {@code stateDir} unless a resource sets state-dir. */
  public IpBuiltinAgent(java.nio.file.Path stateDir) {
    this(FloatingAddressAgent::onThisHost, java.util.Optional.of(stateDir));
  }

  IpBuiltinAgent(Function<IpParams, FloatingAddressAgent> factory, java.util.Optional<java.nio.file.Path> stateDir) {
    this.factory = factory;
    this.stateDir = stateDir;
  }

  @Override
  public String type() {
    return "ip";
  }

  @Override
  public String metadataXml() {
    OcfMetadata md = OcfMetadata.of("ip", "Floating IP address",
        "Adds an IPv4 or IPv6 address, announces it (gratuitous ARP / unsolicited NA) and removes only what it added.");
    for (ConfigKey<?> k : IpConfigKeys.ALL) {
      md.param(k.name(), k == IpConfigKeys.ADDRESS || k == IpConfigKeys.INTERFACE,
          "string", k.defaultValue().isPresent() ? k.defaultText() : null, k.doc());
    }
    return md.standardActions("20s", "10s").toXml();
  }

  @Override
  public int run(Invocation inv, PrintWriter out) {
    IpParams params;
    try {
      java.util.Map<String, String> raw = new java.util.LinkedHashMap<>(inv.params());
      stateDir.ifPresent(d -> raw.putIfAbsent(IpConfigKeys.STATE_DIR.name(), d.toString()));
      params = IpParams.parse(inv.resourceId(), raw);
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
      return AgentResult.OCF_ERR_CONFIGURED;
    }
    if (inv.action().equals("validate-all")) return AgentResult.OCF_SUCCESS;
    FloatingAddressAgent agent = factory.apply(params);
    AgentResult r = switch (inv.action()) {
      case "start" -> agent.start();
      case "stop" -> agent.stop();
      case "monitor", "status" -> agent.monitor();
      case "notify", "reload" -> AgentResult.success("nothing to do");
      default -> AgentResult.failed(AgentResult.OCF_ERR_UNIMPLEMENTED, "action '" + inv.action() + "' is not implemented");
    };
    if (!r.message().isEmpty()) out.println(r.message());
    return r.rc();
  }
}
