package io.vigil.agents.providerip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateAndStatusSetTest {

  @Test
  void templatesExpandOnlyTheKnownPlaceholders() {
    Template t = new Template("https://api/${address}/to/${self}?x=$1");
    assertThat(t.expand(Map.of("address", "fip-1", "self", "srv$2"))).isEqualTo("https://api/fip-1/to/srv$2?x=$1");
    assertThatThrownBy(() -> new Template("${password}")).hasMessageContaining("unknown placeholder ${password}");
  }

  @Test
  void statusSetsTakeCodesAndRanges() {
    StatusSet s = StatusSet.parse("200-204, 304");
    assertThat(s.contains(200)).isTrue();
    assertThat(s.contains(204)).isTrue();
    assertThat(s.contains(205)).isFalse();
    assertThat(s.contains(304)).isTrue();
    assertThatThrownBy(() -> StatusSet.parse("299-200")).hasMessageContaining("'299-200' is not a status code");
    assertThatThrownBy(() -> StatusSet.parse("abc")).hasMessageContaining("'abc'");
  }

  @Test
  void urlTemplatesMustGiveHttpUrls() {
    assertThatThrownBy(() -> ProviderIpParams.parse("fip", Map.of("driver", "http", "address", "fip-1", "self", "s",
        "switch-url", "ftp://api/${address}", "status-url", "https://api/ips/${address} x",
        "status-pointer", "/ip/server")))
        .hasMessageContaining("switch-url: 'ftp://api/a-1' is not an http(s) URL")
        .hasMessageContaining("status-url:");
  }
}
