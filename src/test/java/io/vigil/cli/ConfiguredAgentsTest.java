package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate and agent run against a cluster.yaml, with Debian's real resource-agents. */
class ConfiguredAgentsTest {
  @TempDir Path dir;

  record Run(int rc, String out, String err) {}

  static Run vigil(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int rc = cl.execute(args);
    return new Run(rc, out.toString(), err.toString());
  }

  @Test
  void validateReportsMissingRequiredParameterAndUninstalledAgentFromRealMetadata() throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, """
        cluster: t
        properties: {fencing-enabled: false}
        resources:
          - primitive: vip
            agent: ocf:heartbeat:IPaddr2
            params: {cidr_netmask: "24"}
          - primitive: thing
            agent: ocf:heartbeat:NoSuchAgent
        """);
    Run r = vigil("validate", "-f", f.toString());
    assertThat(r.rc()).isEqualTo(1);
    assertThat(r.err()).contains(f + ":5:12: resource 'vip': agent ocf:heartbeat:IPaddr2 requires parameter 'ip', which is not set")
        .contains(f + ":8:12: resource 'thing': agent ocf:heartbeat:NoSuchAgent is not installed on this host");
  }

  @Test
  void validateChecksFenceDevicesAgainstTheirAgentsMetadata() throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, """
        cluster: t
        nodes: [{name: a}]
        resources:
          - primitive: dummy
            agent: stonith:fence_dummy
            params: {status_fle: /tmp/x, pcmk_host_list: a}
          - primitive: virsh
            agent: stonith:fence_virsh
            params: {login: root, pcmk_host_list: a}
          - primitive: gone
            agent: stonith:fence_nosuch
            params: {pcmk_host_list: a}
        """);
    Run r = vigil("validate", "-f", f.toString());
    assertThat(r.rc()).isEqualTo(1);
    assertThat(r.err())
        .contains(f + ":5:12: fence device 'dummy': agent stonith:fence_dummy has no parameter 'status_fle' (did you mean 'status_file'?)")
        .contains(f + ":8:12: fence device 'virsh': agent stonith:fence_virsh requires parameter 'ip', which is not set")
        .contains(f + ":11:12: fence device 'gone': agent stonith:fence_nosuch is not installed on this host (no executable /usr/sbin/fence_nosuch");
  }

  @Test
  void validateMakesTheVolumeTypesOwnChecksAsTheDaemonsApplyDoes() throws Exception {
    Path f = dir.resolve("c.yaml");
    String yaml = """
        cluster: t
        properties: {fencing-enabled: false}
        nodes: [{name: a}, {name: b}]
        resources:
          - clone: vol-clone
            meta: {promotable: true, clone-max: 2, promoted-max: 1}
            resource:
              primitive: vol
              agent: builtin:volume
              params: {name: vol, backing: vol.img, size: 16M, listen: "0.0.0.0:7789", peer: "vol-peer:7789", key-file: /etc/vigil/vol.key%s}
        """;
    Files.writeString(f, yaml.formatted(""));
    Run r = vigil("validate", "-f", f.toString());
    assertThat(r.rc()).isEqualTo(1);
    assertThat(r.err()).contains(f + ": error: resource 'vol': builtin:volume with listen/peer needs nodes");
    Files.writeString(f, yaml.formatted(", nodes: \"a,b\""));
    Run ok = vigil("validate", "-f", f.toString());
    assertThat(ok.rc()).as(ok.err()).isZero();
  }

  @Test
  void agentRunUsesTheResourcesParametersSecretsAndTimeout() throws Exception {
    String id = "cfg-" + UUID.randomUUID().toString().substring(0, 8);
    Path state = dir.resolve(id + ".state");
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "s3cret-value\n");
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, """
        cluster: t
        properties: {fencing-enabled: false}
        resources:
          - primitive: %s
            agent: ocf:heartbeat:Dummy
            params: {state: %s}
            secret-params: {fake: %s}
            operations: [{name: start, timeout: 7s}]
        """.formatted(id, state, secret));
    Run env = vigil("agent", "run", id, "start", "-f", f.toString(), "--env");
    assertThat(env.rc()).as(env.err()).isZero();
    assertThat(env.out()).contains("OCF_RESKEY_state=" + state).contains("OCF_RESKEY_CRM_meta_timeout=7000")
        .contains("OCF_RESOURCE_INSTANCE=" + id).contains("OCF_RESKEY_fake=(secret, from secret-params)")
        .doesNotContain("s3cret-value");
    assertThat(Files.exists(state)).isTrue();
    assertThat(vigil("agent", "run", id, "monitor", "-f", f.toString()).rc()).isZero();
    assertThat(vigil("agent", "run", id, "stop", "-f", f.toString()).rc()).isZero();
    assertThat(vigil("agent", "run", id, "monitor", "-f", f.toString()).rc()).isEqualTo(7);
  }

  @Test
  void agentRunOnUnknownResourceOrGroupSaysWhy() throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, """
        cluster: t
        properties: {fencing-enabled: false}
        resources:
          - group: web
            members:
              - {primitive: web-ip, agent: "ocf:heartbeat:Dummy"}
        """);
    assertThat(vigil("agent", "run", "web-iq", "start", "-f", f.toString()).err())
        .contains("has no resource 'web-iq' (did you mean 'web-ip'?)");
    assertThat(vigil("agent", "run", "web", "start", "-f", f.toString()).err())
        .contains("'web' is a group; run one of its primitives: web-ip");
  }
}
