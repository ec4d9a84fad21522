package io.vigil.agents.providerip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.ip.AgentResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Robot driver over real HTTP against {@link FakeRobot}; time is fake, so backoffs cost nothing. */
class RobotFailoverDriverTest {
  static final String FIP = "203.0.113.60";
  static final String SELF = "198.51.100.10";
  static final String OTHER = "198.51.100.20";
  static final String PASSWORD = "pa55-w0rd";

  @TempDir Path dir;
  final FakeTime time = new FakeTime();
  FakeRobot robot;
  Path creds;

  @BeforeEach
  void setUp() throws Exception {
    robot = new FakeRobot(time, "ws-user", PASSWORD);
    robot.servers.add(SELF);
    robot.servers.add(OTHER);
    robot.failovers.put(FIP, new FakeRobot.Routing(OTHER, OTHER, Instant.EPOCH));
    creds = writeCreds("ws-user:" + PASSWORD);
  }

  @AfterEach
  void tearDown() {
    robot.close();
  }

  Path writeCreds(String line) throws Exception {
    Path f = dir.resolve("robot-" + line.hashCode() + ".cred");
    Files.writeString(f, line + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  ProviderIpAgent agent(Path credentials, String... extra) throws Exception {
    Map<String, String> raw = new HashMap<>(Map.of("address", FIP, "self", SELF,
        "credentials-file", credentials.toString(), "api-url", robot.base().toString(),
        "state-dir", dir.resolve("state").toString()));
    for (int i = 0; i < extra.length; i += 2) {
      raw.put(extra[i], extra[i + 1]);
    }
    return ProviderIpAgent.create(ProviderIpParams.parse("fip", raw), ProviderIpAgent.defaultHttpClient(), time, time);
  }

  @Test
  void startRoutesHereAndMonitorConfirmsIt() throws Exception {
    ProviderIpAgent a = agent(creds);
    assertThat(a.monitor().rc()).isEqualTo(AgentResult.OCF_NOT_RUNNING);
    assertThat(robot.requests()).isEmpty(); // no claim, no request: monitors do not eat the rate limit

    AgentResult r = a.start(Duration.ofSeconds(90));
    assertThat(r.rc()).as(r.message()).isZero();
    assertThat(robot.failovers.get(FIP).active()).isEqualTo(SELF);
    assertThat(robot.requests()).containsExactly("POST /failover/" + FIP + " active_server_ip=" + SELF);
    assertThat(a.monitor().rc()).isZero();
    assertThat(a.stop().rc()).isZero();
    assertThat(a.monitor().rc()).isEqualTo(AgentResult.OCF_NOT_RUNNING);
  }

  @Test
  void alreadyRoutedToUsIsSuccess() throws Exception {
    robot.failovers.put(FIP, new FakeRobot.Routing(OTHER, SELF, Instant.EPOCH));
    AgentResult r = agent(creds).start(Duration.ofSeconds(90));
    assertThat(r.rc()).isZero();
    assertThat(r.message()).contains("already routes");
  }

  @Test
  void switchInProgressIsRetriedWithBackoffUntilTheLockIsGone() throws Exception {
    robot.switchLock = Duration.ofSeconds(30);
    robot.switchByOther(FIP, OTHER);
    AgentResult r = agent(creds).start(Duration.ofSeconds(90));
    assertThat(r.rc()).as(r.message()).isZero();
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
        Duration.ofSeconds(15), Duration.ofSeconds(15));
    assertThat(robot.requests()).hasSize(6);
    assertThat(robot.failovers.get(FIP).active()).isEqualTo(SELF);
  }

  @Test
  void lockOutlastingTheTimeoutFailsWithinTheTimeout() throws Exception {
    robot.switchLock = Duration.ofMinutes(10);
    robot.switchByOther(FIP, OTHER);
    Instant before = time.instant();
    AgentResult r = agent(creds).start(Duration.ofSeconds(60));
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).contains("FAILOVER_LOCKED").contains("within 1m");
    assertThat(Duration.between(before, time.instant())).isLessThan(Duration.ofSeconds(60));
    assertThat(robot.failovers.get(FIP).active()).isEqualTo(OTHER);
  }

  @Test
  void wrongCredentialsAreNeverRetriedNorShown() throws Exception {
    AgentResult r = agent(writeCreds("ws-user:wrong-secret")).start(Duration.ofSeconds(90));
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_PERM);
    assertThat(r.message()).contains("401 UNAUTHORIZED").contains("not retrying").doesNotContain("wrong-secret");
    assertThat(robot.failedLogins).isEqualTo(1);
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void unknownFailoverIpOrServerIsAHardConfigurationError() throws Exception {
    robot.failovers.clear();
    AgentResult notFound = agent(creds).start(Duration.ofSeconds(90));
    assertThat(notFound.rc()).isEqualTo(AgentResult.OCF_ERR_CONFIGURED);
    assertThat(notFound.message()).contains("404 NOT_FOUND").contains("not in this Robot account");

    robot.failovers.put(FIP, new FakeRobot.Routing(OTHER, OTHER, Instant.EPOCH));
    robot.servers.remove(SELF);
    AgentResult noServer = agent(creds).start(Duration.ofSeconds(90));
    assertThat(noServer.rc()).isEqualTo(AgentResult.OCF_ERR_CONFIGURED);
    assertThat(noServer.message()).contains("FAILOVER_NEW_SERVER_NOT_FOUND");
    assertThat(robot.requests()).hasSize(2);
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void rateLimitBacksOffLongerUntilTheWindowPasses() throws Exception {
    robot.rateLimitMax = 3;
    robot.rateLimitInterval = Duration.ofSeconds(60);
    robot.exhaustRateLimit();
    AgentResult r = agent(creds).start(Duration.ofSeconds(120));
    assertThat(r.rc()).as(r.message()).isZero();
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  @Test
  void rateLimitThatOutlastsTheTimeoutSaysSo() throws Exception {
    robot.rateLimitMax = 1;
    robot.rateLimitInterval = Duration.ofHours(1);
    robot.exhaustRateLimit();
    AgentResult r = agent(creds).start(Duration.ofSeconds(120));
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).contains("RATE_LIMIT_EXCEEDED (1 requests per 3600 s)");
  }

  @Test
  void failedSwitchIsRetried() throws Exception {
    robot.forced.add(new String[] {"500", "FAILOVER_FAILED", "Failover failed"});
    AgentResult r = agent(creds).start(Duration.ofSeconds(90));
    assertThat(r.rc()).as(r.message()).isZero();
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void slowSwitchIsAwaitedInsideTheTimeout() throws Exception {
    robot.realPostDelay = Duration.ofMillis(300); // Robot answers when the switch is done
    AgentResult r = agent(creds).start(Duration.ofSeconds(90));
    assertThat(r.rc()).as(r.message()).isZero();
  }

  @Test
  void switchSlowerThanTheTimeoutFailsAsTimedOut() throws Exception {
    robot.realPostDelay = Duration.ofMillis(1500);
    AgentResult r = agent(creds).start(Duration.ofSeconds(1));
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).containsIgnoringCase("timed out");
  }

  @Test
  void monitorSeesTheAddressRoutedAway() throws Exception {
    ProviderIpAgent a = agent(creds);
    assertThat(a.start(Duration.ofSeconds(90)).rc()).isZero();
    time.advance(Duration.ofMinutes(5));
    robot.switchByOther(FIP, OTHER);
    AgentResult m = a.monitor();
    assertThat(m.rc()).isEqualTo(AgentResult.OCF_NOT_RUNNING);
    assertThat(m.message()).contains("routes " + FIP + " to " + OTHER + ", not to " + SELF);
  }

  @Test
  void serverDownIsRetriedThenReported() throws Exception {
    ProviderIpAgent a = agent(creds, "backoff-initial", "1s", "backoff-max", "1s");
    robot.close();
    AgentResult r = a.start(Duration.ofSeconds(3));
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).contains("POST " + robot.base() + "/failover/" + FIP);
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }
}
