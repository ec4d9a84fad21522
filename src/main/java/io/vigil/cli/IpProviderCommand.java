package io.vigil.cli;

import io.vigil.agents.ip.AgentResult;
import io.vigil.agents.ip.InvalidParamsException;
import io.vigil.agents.ip.Sleeper;
import io.vigil.agents.providerip.ProviderIpAgent;
import io.vigil.agents.providerip.ProviderIpParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil provider-ip route|status}: the seed's two curl calls against Hetzner Robot (or a
 * generic provider API), with its error handling and retries, without a cluster.
 */
@Command(
    name = "provider-ip",
    description = "Hosting-provider failover address: route it to this server or check where it goes.",
    mixinStandardHelpOptions = true,
    subcommands = {IpProviderCommand.Route.class, IpProviderCommand.Status.class})
public final class IpProviderCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Parameters of the provider-ip type as options; anything else via -p KEY=VALUE. */
  static final class Options {
    @Option(names = "--address", required = true, description = "failover IP (Robot) or provider address id")
    String address;

    @Option(names = "--self", required = true, description = "this server as the provider names it (Robot: main IP)")
    String self;

    @Option(names = "--credentials-file", description = "USER:PASSWORD or token file, mode 0600")
    String credentialsFile;

    @Option(names = "--driver", description = "hetzner-robot (default) or http")
    String driver;

    @Option(names = "--api-url", description = "Robot webservice root (default https://robot-ws.your-server.de)")
    String apiUrl;

    @Option(names = "--timeout", description = "how long to retry (default 120s for route, 30s for status)")
    String timeout;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "any other provider-ip parameter")
    Map<String, String> extra = new LinkedHashMap<>();

    Map<String, String> params(String timeoutKey) {
      Map<String, String> m = new LinkedHashMap<>(extra);
      m.put("address", address);
      m.put("self", self);
      putIf(m, "credentials-file", credentialsFile);
      putIf(m, "driver", driver);
      putIf(m, "api-url", apiUrl);
      putIf(m, timeoutKey, timeout);
      return m;
    }

    private static void putIf(Map<String, String> m, String k, String v) {
      if (v != null) {
        m.put(k, v);
      }
    }
  }

  abstract static class Action implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin Options opts = new Options();

    abstract String timeoutKey();

    abstract AgentResult apply(ProviderIpAgent agent);

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      ProviderIpAgent agent;
      try {
        ProviderIpParams p = ProviderIpParams.parse("command line", opts.params(timeoutKey()));
        agent = ProviderIpAgent.create(p, ProviderIpAgent.defaultHttpClient(), InstantSource.system(), Sleeper.SYSTEM);
      } catch (InvalidParamsException e) {
        err.println("vigil provider-ip " + spec.name() + ": " + e.getMessage());
        return AgentResult.OCF_ERR_ARGS;
      } catch (IOException e) {
        err.println("vigil provider-ip " + spec.name() + ": " + e.getMessage());
        return AgentResult.OCF_ERR_CONFIGURED;
      }
      AgentResult r = apply(agent);
      (r.rc() == 0 || r.rc() == AgentResult.OCF_NOT_RUNNING ? spec.commandLine().getOut() : err)
          .println(r.message());
      return r.rc();
    }
  }

  @Command(
      name = "route",
      mixinStandardHelpOptions = true,
      description = "Route the address to this server; returns when the provider reports it.")
  static final class Route extends Action {
    @Override
    String timeoutKey() {
      return "timeout";
    }

    @Override
    AgentResult apply(ProviderIpAgent a) {
      return a.start();
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Exit 0 if the provider routes the address here, 7 if elsewhere.")
  static final class Status extends Action {
    @Override
    String timeoutKey() {
      return "monitor-timeout";
    }

    @Override
    AgentResult apply(ProviderIpAgent a) {
      return a.query(a.params().monitorTimeout());
    }
  }
}
