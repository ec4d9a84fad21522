package io.vigil.fencing.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.FenceResult.Outcome;
import io.vigil.model.AgentRef;
import io.vigil.model.Primitive;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The http device against a local server following Hetzner Robot's reset API (POST /reset/{ip}, type=hw). */
class HttpDeviceTest {
  @TempDir Path dir;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int answer = 200;
  private volatile long delayMs = 0;

  @BeforeEach
  void startRobot() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/reset/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + body + " " + auth);
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String expected = "Basic " + Base64.getEncoder().encodeToString("robot-user:p4ss-w0rd!".getBytes(StandardCharsets.UTF_8));
      int code = expected.equals(auth) ? answer : 401;
      String ip = ex.getRequestURI().getPath().substring("/reset/".length());
      byte[] out = (ex.getRequestMethod().equals("POST")
          ? "{\"reset\":{\"server_ip\":\"" + ip + "\",\"type\":\"hw\"}}"
          : "{\"reset\":{\"server_ip\":\"" + ip + "\",\"type\":[\"sw\",\"hw\",\"man\"]}}").getBytes(StandardCharsets.UTF_8);
      if (code != 200) out = "{\"error\":{\"status\":401,\"code\":\"UNAUTHORIZED\",\"message\":\"Unauthorized p4ss-w0rd!\"}}".getBytes();
      ex.sendResponseHeaders(code, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private io.vigil.fencing.FenceDevice device(String password) throws Exception {
    Path secret = dir.resolve("robot-pass");
    Files.writeString(secret, password + "\n");
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    Primitive p = new Primitive("robot", AgentRef.parse("stonith:http"),
        Map.of("url", base + "/reset/{port}", "reboot_body", "type=hw", "login", "robot-user",
            "status_url", base + "/reset/{port}", "success_match", "\"type\":\"hw\"",
            "pcmk_host_map", "alpha:192.0.2.11;beta:192.0.2.12"),
        Map.of("passwd", secret.toString()), null, List.of(), Map.of());
    return DeviceFactory.system().create(p);
  }

  @Test
  void rebootPostsAHardwareResetForTheMappedServer() throws Exception {
    FenceResult r = device("p4ss-w0rd!").run(FenceAction.REBOOT, "beta", Duration.ofSeconds(5));
    assertThat(r.succeeded()).as(r.summary()).isTrue();
    assertThat(requests).singleElement().asString().startsWith("POST /reset/192.0.2.12 type=hw Basic ");
  }

  @Test
  void monitorUsesTheStatusUrl() throws Exception {
    assertThat(device("p4ss-w0rd!").run(FenceAction.MONITOR, "alpha", Duration.ofSeconds(5)).succeeded()).isTrue();
    assertThat(requests).singleElement().asString().startsWith("GET /reset/192.0.2.11");
  }

  @Test
  void rejectedCredentialsFailWithoutShowingThePassword() throws Exception {
    FenceResult r = device("wrong-but-secret").run(FenceAction.REBOOT, "alpha", Duration.ofSeconds(5));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.message()).contains("HTTP 401").doesNotContain("wrong-but-secret");
    answer = 200;
    FenceResult echoed = device("p4ss-w0rd!").run(FenceAction.REBOOT, "alpha", Duration.ofSeconds(5));
    answer = 500;
    FenceResult failed = device("p4ss-w0rd!").run(FenceAction.REBOOT, "alpha", Duration.ofSeconds(5));
    assertThat(echoed.summary() + failed.summary() + failed).doesNotContain("p4ss-w0rd!");
  }

  @Test
  void slowProviderIsATimeout() throws Exception {
    delayMs = 2000;
    FenceResult r = device("p4ss-w0rd!").run(FenceAction.REBOOT, "alpha", Duration.ofMillis(300));
    assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
  }

  @Test
  void actionWithoutABodyIsUnsupported() throws Exception {
    FenceResult r = device("p4ss-w0rd!").run(FenceAction.OFF, "alpha", Duration.ofSeconds(5));
    assertThat(r.succeeded()).isFalse();
    assertThat(r.message()).contains("no off_body");
    assertThat(requests).isEmpty();
  }
}
