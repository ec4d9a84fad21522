package io.vigil.fencing.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.config.Problem;
import io.vigil.model.AgentRef;
import io.vigil.model.ResourceClass;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply-time checks of {@code stonith:fence_*} devices against their agents' metadata: the
 * checker's view of real metadata (an excerpt of Debian fence-agents 4.12.1's fence_virsh), the
 * errors the configuration checker then reports, and the catalog's bounded, cached metadata calls.
 */
class FenceAgentCatalogTest {
  /** An excerpt of {@code fence_virsh} 4.12.1's {@code action=metadata} output (its parameter and action elements, shortened). */
  static final String VIRSH_METADATA = """
      <?xml version="1.0" ?>
      <resource-agent name="fence_virsh" shortdesc="Fence agent for virsh" >
      <longdesc>fence_virsh is a Power Fencing agent which can be used with the virtual machines managed by libvirt.</longdesc>
      <vendor-url>https://libvirt.org</vendor-url>
      <parameters>
      	<parameter name="action" unique="0" required="1">
      		<getopt mixed="-o, --action=[action]" />
      		<content type="string" default="reboot"  />
      		<shortdesc lang="en">Fencing action</shortdesc>
      	</parameter>
      	<parameter name="identity_file" unique="0" required="0">
      		<getopt mixed="-k, --identity-file=[filename]" />
      		<content type="string"  />
      		<shortdesc lang="en">Identity file (private key) for SSH</shortdesc>
      	</parameter>
      	<parameter name="ip" unique="0" required="1" obsoletes="ipaddr">
      		<getopt mixed="-a, --ip=[ip]" />
      		<content type="string"  />
      		<shortdesc lang="en">IP address or hostname of fencing device</shortdesc>
      	</parameter>
      	<parameter name="ipaddr" unique="0" required="1" deprecated="1">
      		<getopt mixed="-a, --ip=[ip]" />
      		<content type="string"  />
      		<shortdesc lang="en">IP address or hostname of fencing device</shortdesc>
      	</parameter>
      	<parameter name="ipport" unique="0" required="0">
      		<getopt mixed="-u, --ipport=[port]" />
      		<content type="integer" default="22"  />
      		<shortdesc lang="en">TCP/UDP port to use for connection with device</shortdesc>
      	</parameter>
      	<parameter name="login" unique="0" required="1" deprecated="1">
      		<getopt mixed="-l, --username=[name]" />
      		<content type="string"  />
      		<shortdesc lang="en">Login name</shortdesc>
      	</parameter>
      	<parameter name="passwd" unique="0" required="0" deprecated="1">
      		<getopt mixed="-p, --password=[password]" />
      		<content type="string"  />
      		<shortdesc lang="en">Login password or passphrase</shortdesc>
      	</parameter>
      	<parameter name="password" unique="0" required="0" obsoletes="passwd">
      		<getopt mixed="-p, --password=[password]" />
      		<content type="string"  />
      		<shortdesc lang="en">Login password or passphrase</shortdesc>
      	</parameter>
      	<parameter name="plug" unique="0" required="1" obsoletes="port">
      		<getopt mixed="-n, --plug=[id]" />
      		<content type="string"  />
      		<shortdesc lang="en">Physical plug number on device, UUID or identification of machine</shortdesc>
      	</parameter>
      	<parameter name="port" unique="0" required="1" deprecated="1">
      		<getopt mixed="-n, --plug=[id]" />
      		<content type="string"  />
      		<shortdesc lang="en">Physical plug number on device, UUID or identification of machine</shortdesc>
      	</parameter>
      	<parameter name="secure" unique="0" required="0" deprecated="1">
      		<getopt mixed="-x, --ssh" />
      		<content type="boolean" default="1"  />
      		<shortdesc lang="en">Use SSH connection</shortdesc>
      	</parameter>
      	<parameter name="ssh" unique="0" required="0" obsoletes="secure">
      		<getopt mixed="-x, --ssh" />
      		<content type="boolean" default="1"  />
      		<shortdesc lang="en">Use SSH connection</shortdesc>
      	</parameter>
      	<parameter name="username" unique="0" required="1" obsoletes="login">
      		<getopt mixed="-l, --username=[name]" />
      		<content type="string"  />
      		<shortdesc lang="en">Login name</shortdesc>
      	</parameter>
      </parameters>
      <actions>
      	<action name="on" automatic="0"/>
      	<action name="off" />
      	<action name="reboot" />
      	<action name="status" />
      	<action name="list" />
      	<action name="list-status" />
      	<action name="monitor" />
      	<action name="metadata" />
      	<action name="manpage" />
      	<action name="validate-all" />
      </actions>
      </resource-agent>
      """;

  static final String KNOWN = "action, identity_file, ip, ipaddr, ipport, login, passwd, password, plug, port, secure, ssh, username";

  /** A catalog that knows fence_virsh from the excerpt above and nothing else (as if only it were installed). */
  static final AgentCatalog VIRSH_ONLY = new AgentCatalog() {
    @Override
    public boolean canCheck(ResourceClass resourceClass) {
      return false;
    }

    @Override
    public boolean canCheck(AgentRef agent) {
      return agent.resourceClass() == ResourceClass.STONITH && agent.type().startsWith("fence_");
    }

    @Override
    public Optional<AgentDescription> describe(AgentRef agent) {
      return agent.type().equals("fence_virsh")
          ? Optional.of(FenceAgentCatalog.describe(AgentMetadata.parse("fence_virsh", VIRSH_METADATA)))
          : Optional.empty();
    }
  };

  @TempDir Path dir;

  private static String device(String agent, String params) {
    return """
        cluster: c
        nodes: [{name: a}, {name: b}]
        resources:
          - primitive: dom0
            agent: %s
            params: {%s}
        """.formatted(agent, params);
  }

  private static List<String> errors(AgentCatalog catalog, String yaml) {
    return new ConfigLoader(catalog).check(yaml, "c.yaml").errors().stream().map(Problem::toString).toList();
  }

  @Test
  void realMetadataRequiresWhatTheOperatorMustGiveAndKnowsTheOldNames() {
    var d = FenceAgentCatalog.describe(AgentMetadata.parse("fence_virsh", VIRSH_METADATA));
    // action comes with every call, plug from the host map; ipaddr and login are old names of ip and username
    assertThat(d.required()).containsExactlyInAnyOrder("ip", "username");
    assertThat(d.aliases()).containsEntry("ipaddr", "ip").containsEntry("login", "username").containsEntry("port", "plug")
        .containsEntry("passwd", "password");
    assertThat(String.join(", ", d.parameters())).isEqualTo(KNOWN);
    assertThat(d.actions()).contains("off", "reboot", "status", "monitor", "validate-all");
  }

  @Test
  void aCorrectDeviceIsValidWithNewOrOldNamesAndThePcmkKeysAndSecretsCount() throws Exception {
    assertThat(errors(VIRSH_ONLY, device("stonith:fence_virsh",
        "ip: xen1.lan, username: root, identity_file: /etc/vigil/k, pcmk_host_map: \"a:vm-a;b:vm-b\", pcmk_delay_base: 5s"))).isEmpty();
    assertThat(errors(VIRSH_ONLY, device("stonith:fence_virsh", "ipaddr: xen1.lan, login: root, pcmk_host_list: \"a b\""))).isEmpty();
    Path secret = Files.writeString(dir.resolve("pw"), "x");
    String withSecret = device("stonith:fence_virsh", "ip: xen1.lan, username: root, pcmk_host_list: \"a b\"")
        + "    secret-params: {password: " + secret + "}\n";
    assertThat(errors(VIRSH_ONLY, withSecret)).isEmpty();
  }

  @Test
  void anUnknownParameterIsAnErrorNamingTheDeviceTheParameterAndTheKnownOnes() {
    assertThat(errors(VIRSH_ONLY, device("stonith:fence_virsh", "ip: xen1.lan, username: root, identity_fle: /k, pcmk_host_list: a")))
        .containsExactly("c.yaml:5:12: fence device 'dom0': agent stonith:fence_virsh has no parameter 'identity_fle' "
            + "(did you mean 'identity_file'?) (it takes: " + KNOWN + ")");
  }

  @Test
  void aMissingRequiredParameterIsAnError() {
    assertThat(errors(VIRSH_ONLY, device("stonith:fence_virsh", "username: root, pcmk_host_list: \"a b\"")))
        .containsExactly("c.yaml:5:12: fence device 'dom0': agent stonith:fence_virsh requires parameter 'ip', which is not set");
  }

  @Test
  void anAgentThatIsNotInstalledIsAnErrorAsForOcfAgents() {
    var catalog = new FenceAgentCatalog(dir, (argv, stdin, env, wd, t) -> {
      throw new AssertionError("nothing to run");
    }, Duration.ofSeconds(1));
    assertThat(errors(catalog, device("stonith:fence_nosuch", "ip: x, pcmk_host_list: \"a b\""))).containsExactly(
        "c.yaml:5:12: fence device 'dom0': agent stonith:fence_nosuch is not installed on this host (no executable "
            + dir.resolve("fence_nosuch") + "; Debian: apt-get install fence-agents)");
    // built-in devices and scripts have no metadata to ask: not checked here
    assertThat(errors(catalog, device("stonith:script", "path: /usr/local/sbin/x, anything: 1, pcmk_host_list: \"a b\""))).isEmpty();
    assertThat(errors(catalog, device("stonith:ssh", "user: root, pcmk_host_list: \"a b\""))).isEmpty();
  }

  @Test
  void metadataIsAskedOncePerAgentVersionBoundedByTheTimeoutAndAFailureIsCachedToo() throws Exception {
    Path virsh = Files.writeString(dir.resolve("fence_virsh"), "#!/bin/sh\n");
    Path hang = Files.writeString(dir.resolve("fence_hang"), "#!/bin/sh\n");
    virsh.toFile().setExecutable(true);
    hang.toFile().setExecutable(true);
    List<String> calls = new ArrayList<>();
    List<Duration> timeouts = new ArrayList<>();
    ProcessRunner runner = (argv, stdin, env, wd, timeout) -> {
      calls.add(argv.getFirst() + " " + new String(stdin, StandardCharsets.UTF_8).strip());
      timeouts.add(timeout);
      if (argv.getFirst().endsWith("fence_hang")) {
        return new ProcessRunner.Outcome(OptionalInt.empty(), "", "", true, timeout);
      }
      return new ProcessRunner.Outcome(OptionalInt.of(0), VIRSH_METADATA, "", false, Duration.ofMillis(80));
    };
    var catalog = new FenceAgentCatalog(dir, runner, Duration.ofSeconds(3));
    AgentRef ref = AgentRef.parse("stonith:fence_virsh");
    assertThat(catalog.describe(ref)).isPresent();
    assertThat(catalog.describe(ref)).isPresent();
    assertThat(errors(catalog, device("stonith:fence_virsh", "ip: x, username: y, pcmk_host_list: \"a b\""))).isEmpty();
    assertThat(calls).containsExactly(virsh + " action=metadata");

    AgentRef hanging = AgentRef.parse("stonith:fence_hang");
    assertThat(catalog.describe(hanging)).isEmpty();
    assertThat(catalog.describe(hanging)).isEmpty();
    assertThat(catalog.notDescribed(hanging)).isEqualTo("gave no usable metadata: metadata timed out after 3000 ms");
    assertThat(calls).hasSize(2);
    assertThat(timeouts).containsOnly(Duration.ofSeconds(3));
    assertThat(errors(catalog, device("stonith:fence_hang", "pcmk_host_list: \"a b\""))).containsExactly(
        "c.yaml:5:12: fence device 'dom0': agent stonith:fence_hang gave no usable metadata: metadata timed out after 3000 ms");

    // a new version of the agent (the package was upgraded) is asked again
    Files.setLastModifiedTime(virsh, FileTime.fromMillis(Files.getLastModifiedTime(virsh).toMillis() + 60_000));
    assertThat(catalog.describe(ref)).isPresent();
    assertThat(calls).hasSize(3).last().isEqualTo(virsh + " action=metadata");
  }

  @Test
  void garbageMetadataIsNotADescription() throws Exception {
    Files.writeString(dir.resolve("fence_junk"), "#!/bin/sh\n").toFile().setExecutable(true);
    var catalog = new FenceAgentCatalog(dir, (argv, stdin, env, wd, t) ->
        new ProcessRunner.Outcome(OptionalInt.of(0), "<not-xml", "", false, Duration.ZERO), Duration.ofSeconds(1));
    assertThat(catalog.describe(AgentRef.parse("stonith:fence_junk"))).isEmpty();
    assertThat(catalog.notDescribed(AgentRef.parse("stonith:fence_junk"))).startsWith("gave no usable metadata: metadata of 'fence_junk' is not valid XML");
    assertThat(catalog.canCheck(AgentRef.parse("ocf:heartbeat:Dummy"))).isFalse();
    assertThat(catalog.canCheck(AgentRef.parse("stonith:lab"))).isFalse();
  }
}
