package io.vigil.agents.balancer.ipvs;

import io.vigil.agents.balancer.VirtualService;
import java.io.IOException;
import java.util.List;

/**
 * Programs a virtual service into kernel IPVS. Creation is all-or-nothing: if a real server
 * cannot be added, the service is deleted again so nothing half-applies.
 */
public final class IpvsApplier {
  private final CommandRunner runner;

  public IpvsApplier(CommandRunner runner) {
    this.runner = runner;
  }

  /** Creates the service and its real servers; on failure removes what was created and rethrows. */
  public void create(VirtualService vs) throws IOException, InterruptedException {
    List<List<String>> cmds = IpvsCommands.create(vs);
    runner.run(cmds.get(0));
    try {
      for (List<String> cmd : cmds.subList(1, cmds.size())) {
        runner.run(cmd);
      }
    } catch (IOException e) {
      try {
        runner.run(IpvsCommands.deleteService(vs));
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw new IOException("virtual service " + vs.name() + ": IPVS programming failed and was rolled back: " + e.getMessage(), e);
    }
  }

  /** Removes the service and its real servers. */
  public void delete(VirtualService vs) throws IOException, InterruptedException {
    runner.run(IpvsCommands.deleteService(vs));
  }
}
