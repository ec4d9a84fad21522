package io.vigil.exec;

import io.vigil.model.AgentRef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ocf:heartbeat:anything keeps a real HTTP server (python3 -m http.server on loopback) alive. */
@Tag("slow")
class AnythingAgentTest {
  @TempDir Path tmp;

  private final AgentExecutor executor = AgentExecutor.system(ExecConfig.defaults(), new BuiltinRegistry());
  private final AgentRef anything = AgentRef.parse("ocf:heartbeat:anything");
  private Map<String, String> params;
  private final String instance = "vigil-anything-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void stopServer() {
    if (params != null) {
      executor.run(Invocation.of(anything, instance, "stop", params, Duration.ofSeconds(20)));
    }
  }

  private ExecResult run(String action) {
    return executor.run(Invocation.of(anything, instance, action, params, Duration.ofSeconds(20)));
  }

  @Test
  void startsMonitorsAndNoticesWhenTheServerDies() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(tmp.resolve("hello.txt"), "hello from vigil\n");
    Path pidfile = tmp.resolve("server.pid");
    params = Map.of("binfile", "/usr/bin/python3",
        "cmdline_options", "-m http.server " + port + " --bind 127.0.0.1 --directory " + tmp,
        "pidfile", pidfile.toString(), "logfile", tmp.resolve("server.log").toString());

    assertThat(run("monitor").rc()).isEqualTo(OcfRc.NOT_RUNNING);
    ExecResult start = run("start");
    assertThat(start.rc()).as(start.output()).isEqualTo(OcfRc.SUCCESS);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/hello.txt");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
        http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.ofString()).body().equals("hello from vigil\n"));
    assertThat(run("monitor").rc()).isEqualTo(OcfRc.SUCCESS);

    long pid = Long.parseLong(Files.readString(pidfile).strip());
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    // The server was orphaned when the agent exited, so init reaps it; until then it is a zombie
    // that kill -0 (anything's check) still sees. Some container inits reap only every few seconds.
    await().atMost(Duration.ofSeconds(15)).until(() -> ProcTable.read(pid).isEmpty());

    // resource-agents 4.12's anything reports a pid file without a process as a failure (rc 1,
    // "the process died"), not as cleanly stopped (7): Pacemaker then recovers the resource.
    ExecResult monitor = run("monitor");
    assertThat(monitor.rc()).isEqualTo(OcfRc.ERR_GENERIC);
    assertThat(monitor.classification()).isEqualTo(Classification.SOFT_ERROR);
    assertThat(run("stop").rc()).isEqualTo(OcfRc.SUCCESS);
    assertThat(pidfile).doesNotExist();
    assertThat(run("monitor").rc()).as("after the failed server is stopped").isEqualTo(OcfRc.NOT_RUNNING);
  }
}
