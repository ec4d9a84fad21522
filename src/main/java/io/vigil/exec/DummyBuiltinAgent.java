package io.vigil.exec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code builtin:dummy}: like ocf:heartbeat:Dummy, it is "running" while its state file exists.
 * It exercises the built-in path end to end and serves tests that need a cheap resource.
 */
public final class DummyBuiltinAgent implements BuiltinAgent {
  private final Path stateDir;

  public DummyBuiltinAgent(Path stateDir) {
    this.stateDir = stateDir;
  }

  @Override
  public String type() {
    return "dummy";
  }

  @Override
  public String metadataXml() {
    return """
        <?xml version="1.0"?>
        <resource-agent name="dummy" version="1.0">
          <version>1.1</version>
          <longdesc lang="en">A resource that is running while its state file exists.</longdesc>
          <shortdesc lang="en">Built-in dummy resource</shortdesc>
          <parameters>
            <parameter name="state" unique="1" required="0">
              <longdesc lang="en">State file; defaults to &lt;state dir&gt;/dummy-&lt;instance&gt;.state.</longdesc>
              <shortdesc lang="en">State file</shortdesc>
              <content type="string"/>
            </parameter>
          </parameters>
          <actions>
            <action name="start" timeout="20s"/>
            <action name="stop" timeout="20s"/>
            <action name="monitor" timeout="20s" interval="10s" depth="0"/>
            <action name="validate-all" timeout="20s"/>
            <action name="meta-data" timeout="5s"/>
          </actions>
        </resource-agent>
        """;
  }

  @Override
  public int run(Invocation inv, PrintWriter out) throws Exception {
    Path state = inv.params().containsKey("state")
        ? Path.of(inv.params().get("state"))
        : stateDir.resolve("dummy-" + inv.resourceId().replaceAll("[^A-Za-z0-9_.-]", "_") + ".state");
    switch (inv.action()) {
      case "start" -> {
        Files.createDirectories(state.toAbsolutePath().getParent());
        Files.writeString(state, inv.resourceId() + "\n");
        return OcfRc.SUCCESS;
      }
      case "stop" -> {
        Files.deleteIfExists(state);
        return OcfRc.SUCCESS;
      }
      case "monitor", "status" -> {
        return Files.exists(state) ? OcfRc.SUCCESS : OcfRc.NOT_RUNNING;
      }
      case "validate-all" -> {
        Path parent = state.toAbsolutePath().getParent();
        if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
          out.println(OcfEnvironment.EXIT_REASON_PREFIX + "state directory " + parent + " is not a directory");
          return OcfRc.ERR_CONFIGURED;
        }
        return OcfRc.SUCCESS;
      }
      default -> {
        out.println("builtin:dummy does not implement action '" + inv.action() + "'");
        return OcfRc.ERR_UNIMPLEMENTED;
      }
    }
  }
}
