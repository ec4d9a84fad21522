package io.vigil.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.fencing.DeviceSettings.HostCheck;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DeviceSettingsTest {
  @Test
  void hostMapGivesPortsAndMakesTheCheckStatic() {
    DeviceSettings s = DeviceSettings.parse("d", Map.of("pcmk_host_map", "alpha:1;beta:2 gamma=vm3"));
    assertThat(s.hostCheck()).isEqualTo(HostCheck.STATIC_LIST);
    assertThat(s.portFor("beta")).isEqualTo("2");
    assertThat(s.portFor("gamma")).isEqualTo("vm3");
    assertThat(s.portFor("delta")).isEqualTo("delta");
    assertThat(s.staticallyFences("alpha")).contains(true);
    assertThat(s.staticallyFences("delta")).contains(false);
  }

  @Test
  void withoutListOrMapTheDeviceIsAsked() {
    DeviceSettings s = DeviceSettings.parse("d", Map.of());
    assertThat(s.hostCheck()).isEqualTo(HostCheck.DYNAMIC_LIST);
    assertThat(s.staticallyFences("x")).isEmpty();
    assertThat(s.listedIn("x", java.util.List.of("y", "x"))).isTrue();
    assertThat(DeviceSettings.parse("d", Map.of("pcmk_host_check", "none")).staticallyFences("x")).contains(true);
  }

  @Test
  void badValuesNameTheDeviceAndTheKey() {
    assertThatThrownBy(() -> DeviceSettings.parse("ipmi1", Map.of("pcmk_host_map", "alpha")))
        .hasMessage("fence device 'ipmi1': pcmk_host_map entry 'alpha' is not node:value (expected e.g. \"node1:1;node2:2\")");
    assertThatThrownBy(() -> DeviceSettings.parse("ipmi1", Map.of("pcmk_delay_max", "soon")))
        .hasMessageStartingWith("fence device 'ipmi1': 'pcmk_delay_max' has value 'soon', expected a duration");
    assertThatThrownBy(() -> DeviceSettings.parse("ipmi1", Map.of("pcmk_host_check", "static-list")))
        .hasMessageContaining("neither pcmk_host_list nor pcmk_host_map");
  }

  @Test
  void timeoutsAndRetriesPerActionOverrideDefaults() {
    DeviceSettings s = DeviceSettings.parse("d", Map.of("pcmk_reboot_timeout", "90s", "pcmk_action_timeout", "30s",
        "pcmk_off_retries", "0"));
    assertThat(s.timeoutFor(FenceAction.REBOOT, Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.timeoutFor(FenceAction.OFF, Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(30));
    assertThat(DeviceSettings.DEFAULTS.timeoutFor(FenceAction.OFF, Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.retriesFor(FenceAction.OFF)).isZero();
    assertThat(s.retriesFor(FenceAction.REBOOT)).isEqualTo(2);
  }

  @Test
  void perNodeStaticDelayFavoursOneSideOfATwoNodeRace() {
    DeviceSettings s = DeviceSettings.parse("d", Map.of("pcmk_delay_base", "alpha:0s;beta:5s"));
    assertThat(s.delayFor("alpha", new SplittableRandom(1))).isZero();
    assertThat(s.delayFor("beta", new SplittableRandom(1))).isEqualTo(Duration.ofSeconds(5));
  }

  @Property
  void randomDelayStaysBetweenBaseAndMax(@ForAll @IntRange(max = 10_000) int baseMs, @ForAll @IntRange(max = 20_000) int maxMs,
      @ForAll long seed) {
    DeviceSettings s = DeviceSettings.parse("d", Map.of("pcmk_delay_base", baseMs + "ms", "pcmk_delay_max", maxMs + "ms"));
    Duration d = s.delayFor("n", new SplittableRandom(seed));
    assertThat(d).isGreaterThanOrEqualTo(Duration.ofMillis(baseMs));
    assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(Math.max(baseMs, maxMs)));
  }
}
