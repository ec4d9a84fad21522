package io.vigil.exec;

import io.vigil.model.AgentRef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OcfEnvironmentTest {
  private final ExecConfig config = ExecConfig.defaults().withOcfRoot(Path.of("/opt/ocf"));

  private Invocation monitor() {
    return new Invocation(AgentRef.parse("ocf:heartbeat:IPaddr2"), "vip", "monitor",
        Map.of("ip", "10.0.0.5", "OCF_CHECK_LEVEL", "10"),
        Map.of("clone-max", "2", "notify_type", "pre", "timeout", "999"),
        Duration.ofSeconds(20), Duration.ofSeconds(10));
  }

  @Test
  void setsTheOcfIdentityAndVersion() {
    Map<String, String> env = OcfEnvironment.build(monitor(), config, "node1");
    assertThat(env).containsEntry("OCF_ROOT", "/opt/ocf")
        .containsEntry("OCF_RA_VERSION_MAJOR", "1")
        .containsEntry("OCF_RA_VERSION_MINOR", "1")
        .containsEntry("OCF_RESOURCE_INSTANCE", "vip")
        .containsEntry("OCF_RESOURCE_TYPE", "IPaddr2")
        .containsEntry("OCF_RESOURCE_PROVIDER", "heartbeat")
        .containsEntry("OCF_EXIT_REASON_PREFIX", "ocf-exit-reason:");
  }

  @Test
  void paramsArePrefixedExceptCheckLevel() {
    Map<String, String> env = OcfEnvironment.build(monitor(), config, "node1");
    assertThat(env).containsEntry("OCF_RESKEY_ip", "10.0.0.5").containsEntry("OCF_CHECK_LEVEL", "10")
        .doesNotContainKey("OCF_RESKEY_OCF_CHECK_LEVEL");
  }

  @Test
  void metaAttributesUseUnderscoresAndTimeoutAndIntervalAreMillisecondsFromTheInvocation() {
    Map<String, String> env = OcfEnvironment.build(monitor(), config, "node1");
    assertThat(env).containsEntry("OCF_RESKEY_CRM_meta_clone_max", "2")
        .containsEntry("OCF_RESKEY_CRM_meta_notify_type", "pre")
        .containsEntry("OCF_RESKEY_CRM_meta_timeout", "20000")
        .containsEntry("OCF_RESKEY_CRM_meta_interval", "10000")
        .containsEntry("OCF_RESKEY_CRM_meta_name", "monitor")
        .containsEntry("OCF_RESKEY_CRM_meta_on_node", "node1");
  }

  @Test
  void onNodeFromMetaWinsOverTheHostName() {
    Invocation inv = monitor().withMeta(Map.of("on_node", "other"));
    assertThat(OcfEnvironment.build(inv, config, "node1")).containsEntry("OCF_RESKEY_CRM_meta_on_node", "other");
  }

  @Test
  void nothingIsInheritedFromVigilsEnvironment() {
    Map<String, String> env = OcfEnvironment.build(monitor(), config, "node1");
    assertThat(env.keySet()).allMatch(k -> k.equals("PATH") || k.startsWith("OCF_"));
    assertThat(OcfEnvironment.build(monitor(), config.withRunDir(Path.of("/r")), "n").keySet())
        .allMatch(k -> k.equals("PATH") || k.startsWith("OCF_") || k.startsWith("HA_"));
  }

  @Test
  void aRunDirMovesTheAgentsPidAndLockFilesAwayFromRun() {
    assertThat(OcfEnvironment.build(monitor(), config, "n")).doesNotContainKeys("HA_VARRUN", "HA_RSCTMP");
    Map<String, String> env = OcfEnvironment.build(monitor(), config.withRunDir(Path.of("/var/lib/vigil/n1/run")), "n");
    assertThat(env).containsEntry("HA_VARRUN", "/var/lib/vigil/n1/run/")
        .containsEntry("HA_RSCTMP", "/var/lib/vigil/n1/run/resource-agents");
  }

  @Test
  void valuesArePassedVerbatim() {
    String nasty = "$(touch /tmp/pwned) `id` 'quoted' \"dq\" ; rm -rf / \n second line";
    Invocation inv = Invocation.of(AgentRef.parse("ocf:heartbeat:Dummy"), "d", "start", Map.of("x", nasty), Duration.ofSeconds(1));
    assertThat(OcfEnvironment.build(inv, config, "n")).containsEntry("OCF_RESKEY_x", nasty);
  }

  @Test
  void parameterNamesMustBeEnvironmentNames() {
    assertThatThrownBy(() -> Invocation.of(AgentRef.parse("ocf:heartbeat:Dummy"), "d", "start",
        Map.of("a=b", "1"), Duration.ofSeconds(1)))
        .hasMessageContaining("parameter name 'a=b' must start with a letter");
  }

  @Test
  void lsbScriptsGetOnlyPath() {
    assertThat(OcfEnvironment.plain(config)).containsOnlyKeys("PATH");
  }
}
