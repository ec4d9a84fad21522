package io.vigil.agents.providerip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RobotReplyTest {

  static String error(int status, String code) {
    return "{\"error\":{\"status\":" + status + ",\"code\":\"" + code + "\",\"message\":\"m\"}}";
  }

  @Test
  void readsTheFailoverRecord() {
    RobotReply r = RobotReply.classify(200, "{\"failover\":{\"ip\":\"203.0.113.60\",\"netmask\":\"255.255.255.255\","
        + "\"server_ip\":\"198.51.100.1\",\"server_number\":321,\"active_server_ip\":\"198.51.100.2\"}}");
    assertThat(r).isEqualTo(new RobotReply.Failover("203.0.113.60", "255.255.255.255", "198.51.100.1",
        Optional.of("198.51.100.2")));
    assertThat(((RobotReply.Failover) RobotReply.classify(200,
        "{\"failover\":{\"ip\":\"a\",\"active_server_ip\":null}}")).activeServerIp()).isEmpty();
  }

  @Test
  void classifiesTheDocumentedErrors() {
    assertThat(RobotReply.classify(409, error(409, "FAILOVER_ALREADY_ROUTED"))).isInstanceOf(RobotReply.AlreadyRouted.class);
    assertThat(RobotReply.classify(409, error(409, "FAILOVER_LOCKED"))).isInstanceOf(RobotReply.Locked.class);
    assertThat(RobotReply.classify(401, error(401, "UNAUTHORIZED"))).isInstanceOf(RobotReply.Unauthorized.class);
    assertThat(RobotReply.classify(401, "<html>Unauthorized</html>")).isInstanceOf(RobotReply.Unauthorized.class);
    assertThat(RobotReply.classify(404, error(404, "NOT_FOUND"))).isEqualTo(new RobotReply.Hard(404, "NOT_FOUND", "m"));
    assertThat(RobotReply.classify(404, error(404, "FAILOVER_NEW_SERVER_NOT_FOUND")))
        .isEqualTo(new RobotReply.Hard(404, "FAILOVER_NEW_SERVER_NOT_FOUND", "m"));
    assertThat(RobotReply.classify(400, error(400, "INVALID_INPUT"))).isInstanceOf(RobotReply.Hard.class);
    assertThat(RobotReply.classify(500, error(500, "FAILOVER_FAILED"))).isInstanceOf(RobotReply.Transient.class);
    assertThat(RobotReply.classify(500, error(500, "FAILOVER_NOT_COMPLETE"))).isInstanceOf(RobotReply.Transient.class);
  }

  @Test
  void rateLimitCarriesTheWindow() {
    RobotReply r = RobotReply.classify(403, "{\"error\":{\"status\":403,\"code\":\"RATE_LIMIT_EXCEEDED\","
        + "\"message\":\"x\",\"max_request\":200,\"interval\":3600}}");
    assertThat(r).isInstanceOfSatisfying(RobotReply.RateLimited.class, rl -> {
      assertThat(rl.maxRequest()).hasValue(200);
      assertThat(rl.intervalSeconds()).hasValue(3600);
    });
  }

  @Test
  void unreadableRepliesAreTransientOnlyForServerErrors() {
    assertThat(RobotReply.classify(502, "<html>Bad Gateway</html>")).isInstanceOf(RobotReply.Transient.class);
    assertThat(RobotReply.classify(200, "not json")).isInstanceOf(RobotReply.Hard.class);
  }
}
