package io.vigil.agents.providerip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.agents.ip.InvalidParamsException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderIpParamsTest {

  @Test
  void robotDefaults() {
    ProviderIpParams p = ProviderIpParams.parse("fip", Map.of("address", "203.0.113.60", "self", "198.51.100.10",
        "credentials-file", "/etc/vigil/robot.cred"));
    assertThat(p.driver()).isEqualTo(ProviderIpConfigKeys.Driver.HETZNER_ROBOT);
    assertThat(p.apiUrl().toString()).isEqualTo("https://robot-ws.your-server.de");
    assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(p.describe()).isEqualTo("203.0.113.60 -> 198.51.100.10 (hetzner-robot)");
  }

  @Test
  void robotNeedsLiteralAddressesAndACredentialsFile() {
    assertThatThrownBy(() -> ProviderIpParams.parse("fip", Map.of("address", "fip.example", "self", "1.2.3.4/32")))
        .isInstanceOf(InvalidParamsException.class)
        .hasMessageContaining("address: 'fip.example' is not an IP address literal")
        .hasMessageContaining("self: '1.2.3.4/32' is not valid")
        .hasMessageContaining("missing required parameter 'credentials-file'");
  }

  @Test
  void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> ProviderIpParams.parse("fip", Map.of("address", "203.0.113.60", "self", "198.51.100.10",
        "credentials-file", "/c", "api-url", "https://user:hunter2@robot-ws.your-server.de")))
        .hasMessageContaining("carries credentials").hasMessageNotContaining("hunter2");
  }

  @Test
  void httpDriverNeedsUrlsAndExactlyOneHolderCheck() {
    assertThatThrownBy(() -> ProviderIpParams.parse("fip", Map.of("driver", "http", "address", "fip-1", "self", "srv-2",
        "switch-url", "https://api.example/ips/${ip}/assign", "status-pointer", "/ip/server", "status-regex", "x")))
        .hasMessageContaining("unknown placeholder ${ip}")
        .hasMessageContaining("missing required parameter 'status-url'")
        .hasMessageContaining("exactly one of status-pointer or status-regex");
    ProviderIpParams ok = ProviderIpParams.parse("fip", Map.of("driver", "http", "address", "fip-1", "self", "srv-2",
        "switch-url", "https://api.example/ips/${address}/assign", "switch-body", "{\"server\":\"${self}\"}",
        "status-url", "https://api.example/ips/${address}", "status-pointer", "/ip/server"));
    assertThat(ok.http().orElseThrow().switchMethod()).isEqualTo("POST");
    assertThat(ok.http().orElseThrow().retryStatus().contains(429)).isTrue();
  }

  @Test
  void unknownParametersAreNamed() {
    assertThatThrownBy(() -> ProviderIpParams.parse("fip", Map.of("address", "203.0.113.60", "self", "198.51.100.10",
        "credentials-file", "/c", "password", "x")))
        .hasMessageContaining("unknown parameter 'password'");
  }
}
