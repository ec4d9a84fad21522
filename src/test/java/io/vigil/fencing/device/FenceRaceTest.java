package io.vigil.fencing.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes split and each tries to fence the other at the same moment (a fencer JVM inside each node's namespace,
 * lab device). With pcmk_delay_base "alpha:3s" fencing alpha waits, so beta is fenced first: its fencer dies with
 * it and exactly one node (alpha) survives.
 */
@Tag("slow")
class FenceRaceTest {
  @TempDir Path dir;
  private final String alpha = "vgr" + (ProcessHandle.current().pid() % 100000) + "a";
  private final String beta = "vgr" + (ProcessHandle.current().pid() % 100000) + "b";
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void down() throws Exception {
    for (Process p : started) p.destroyForcibly();
    for (String ns : List.of(alpha, beta)) {
      String pids = sh("ip", "netns", "pids", ns).strip();
      if (!pids.isEmpty()) {
        List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
        kill.addAll(List.of(pids.split("\\s+")));
        sh(kill.toArray(String[]::new));
      }
      sh("ip", "netns", "del", ns);
    }
  }

  @Test
  void staticDelayLetsExactlyOneNodeSurviveTheSplit() throws Exception {
    sh("ip", "netns", "add", alpha);
    sh("ip", "netns", "add", beta);
    sh("ip", "-n", alpha, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", beta);
    sh("ip", "-n", alpha, "link", "set", "eth0", "up");
    sh("ip", "-n", beta, "link", "set", "eth0", "up");
    String delays = "alpha:3s;beta:0s";
    Process alphaFencer = fencer(alpha, "beta", delays);
    Process betaFencer = fencer(beta, "alpha", delays);
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("alpha.result.started"))
        && Files.exists(dir.resolve("beta.result.started")));
    Files.writeString(dir.resolve("go"), "");
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("alpha.result")));
    assertThat(Files.readString(dir.resolve("alpha.result"))).startsWith("true ");
    assertThat(betaFencer.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(betaFencer.exitValue()).isEqualTo(137);
    assertThat(Files.exists(dir.resolve("beta.result"))).isFalse();
    assertThat(linkUp(alpha)).isTrue();
    assertThat(linkUp(beta)).isFalse();
    assertThat(alphaFencer.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(alphaFencer.exitValue()).isZero();
  }

  private Process fencer(String ns, String target, String delays) throws Exception {
    String self = ns.equals(alpha) ? "alpha" : "beta";
    String cp = codeSource(FenceRaceMain.class) + File.pathSeparator + codeSource(LabDevice.class);
    Process p = new ProcessBuilder("ip", "netns", "exec", ns, ProcessHandle.current().info().command().orElse("java"),
        "-cp", cp, FenceRaceMain.class.getName(), alpha, beta, delays, target, dir.resolve(self + ".result").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve(self + ".out").toFile()).start();
    started.add(p);
    return p;
  }

  private boolean linkUp(String ns) throws Exception {
    String out = sh("ip", "-n", ns, "-o", "link", "show", "eth0");
    return out.replaceAll("(?s)^[^<]*<([^>]*)>.*$", "$1").matches("(^|.*,)UP(,.*|$)");
  }

  private static String codeSource(Class<?> c) {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
  }

  private static String sh(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
