package io.vigil.exec;

import io.vigil.model.AgentRef;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's real resource agents and real scripts, run through the real executor. */
class RealAgentsTest {
  @TempDir Path tmp;

  private final AgentExecutor system = AgentExecutor.system(ExecConfig.defaults(),
      BuiltinRegistry.withDefaults(Path.of("/run/vigil/test-builtin")));

  private static String instance() {
    return "vigil-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void dummyPassesTheWholeOcfTesterContract() {
    List<AgentTester.Check> checks = new AgentTester(system).test(AgentRef.parse("ocf:heartbeat:Dummy"), instance(),
        Map.of("state", tmp.resolve("dummy.state").toString()), Optional.empty());
    assertThat(checks).extracting(AgentTester.Check::name).containsExactly("meta-data well-formed", "validate-all",
        "monitor when stopped", "start", "monitor when started", "start again", "stop", "monitor when stopped again",
        "stop again");
    assertThat(checks).allSatisfy(c -> assertThat(c.pass()).as(c.name() + ": " + c.actual()).isTrue());
  }

  @Test
  void statefulIsPromotedAndDemoted() {
    AgentRef stateful = AgentRef.parse("ocf:pacemaker:Stateful");
    List<AgentTester.Check> checks = new AgentTester(system).test(stateful, instance(), Map.of(), Optional.empty());
    assertThat(checks).extracting(AgentTester.Check::name)
        .contains("promote", "monitor as promoted", "demote", "monitor after demote");
    assertThat(checks).allSatisfy(c -> assertThat(c.pass()).as(c.name() + ": " + c.actual()).isTrue());
    assertThat(checks).filteredOn(c -> c.name().equals("monitor as promoted")).singleElement()
        .satisfies(c -> assertThat(c.result().orElseThrow().rc()).isEqualTo(OcfRc.RUNNING_PROMOTED));
  }

  @Test
  void missingAgentSaysWhereItLooked() {
    ExecResult r = system.run(Invocation.of(AgentRef.parse("ocf:heartbeat:NoSuchAgent"), "x", "start", Map.of(),
        Duration.ofSeconds(5)));
    assertThat(r.status()).isEqualTo(ExecStatus.NOT_INSTALLED);
    assertThat(r.rc()).isEqualTo(OcfRc.ERR_INSTALLED);
    assertThat(r.detail()).isEqualTo("agent not installed: looked for /usr/lib/ocf/resource.d/heartbeat/NoSuchAgent");
  }

  @Test
  void agentSeesExactlyTheParametersWithoutAnyShellInterpretation() throws Exception {
    Path root = tmp.resolve("ocf");
    Path dump = tmp.resolve("env.txt");
    TestAgents.ocfAgent(root, "envdump", "#!/bin/sh\nenv > \"$OCF_RESKEY_dump\"\necho \"action=$1\" >> \"$OCF_RESKEY_dump\"\nexit 0\n");
    String nasty = "$(touch " + tmp.resolve("pwned") + ") `id` 'q' \"dq\"; echo hi";
    Map<String, String> params = Map.of("dump", dump.toString(), "nasty", nasty);
    ExecResult r = TestAgents.executor(root, tmp, true).run(new Invocation(AgentRef.parse("ocf:vigiltest:envdump"),
        "envres", "monitor", params, Map.of("clone-max", "3"), Duration.ofSeconds(10), Duration.ofSeconds(30)));
    assertThat(r.rc()).isZero();
    Map<String, String> seen = new HashMap<>();
    Files.readAllLines(dump).forEach(l -> {
      int eq = l.indexOf('=');
      if (eq > 0) {
        seen.put(l.substring(0, eq), l.substring(eq + 1));
      }
    });
    assertThat(seen).containsEntry("OCF_RESKEY_nasty", nasty)
        .containsEntry("OCF_RESOURCE_INSTANCE", "envres")
        .containsEntry("OCF_RESOURCE_TYPE", "envdump")
        .containsEntry("OCF_RESOURCE_PROVIDER", "vigiltest")
        .containsEntry("OCF_ROOT", root.toString())
        .containsEntry("OCF_RESKEY_CRM_meta_timeout", "10000")
        .containsEntry("OCF_RESKEY_CRM_meta_interval", "30000")
        .containsEntry("OCF_RESKEY_CRM_meta_clone_max", "3")
        .containsEntry("action", "monitor");
    assertThat(tmp.resolve("pwned")).doesNotExist();
  }

  @Test
  void outputIsBoundedToItsTailAndExitReasonIsExtracted() throws Exception {
    Path root = tmp.resolve("ocf");
    TestAgents.ocfAgent(root, "chatty", "#!/bin/sh\ni=0\nwhile [ $i -lt 5000 ]; do echo \"line $i of noise noise noise\"; i=$((i+1)); done\n"
        + "echo 'ocf-exit-reason:disk full on /srv' >&2\necho last-line\nexit 1\n");
    AgentExecutor ex = AgentExecutor.system(ExecConfig.defaults().withOcfRoot(root).withOutputTailBytes(4096),
        new BuiltinRegistry());
    ExecResult r = ex.run(Invocation.of(AgentRef.parse("ocf:vigiltest:chatty"), "c", "start", Map.of(), Duration.ofSeconds(20)));
    assertThat(r.rc()).isEqualTo(1);
    assertThat(r.classification()).isEqualTo(Classification.SOFT_ERROR);
    assertThat(r.outputTruncated()).isTrue();
    assertThat(r.output().length()).isLessThanOrEqualTo(4096);
    assertThat(r.output()).endsWith("last-line\n").contains("line 4999 of noise").doesNotContain("line 10 of noise");
    assertThat(r.exitReason()).isEqualTo("disk full on /srv");
  }

  @Test
  void agentRunsWithSigpipeAtItsDefaultAsUnderPacemaker() throws Exception {
    Path root = tmp.resolve("ocf");
    TestAgents.ocfAgent(root, "sigs", "#!/bin/sh\nsed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status\n");
    ExecResult r = TestAgents.executor(root, tmp, true).run(Invocation.of(AgentRef.parse("ocf:vigiltest:sigs"), "s",
        "monitor", Map.of(), Duration.ofSeconds(10)));
    long ignored = Long.parseLong(r.output().strip(), 16);
    assertThat(ignored & (1L << (13 - 1))).as("SIGPIPE ignored: mask %s", r.output().strip()).isZero();
  }

  @Test
  void agentWhoseInterpreterIsMissingIsNotInstalled() throws Exception {
    Path root = tmp.resolve("ocf");
    TestAgents.ocfAgent(root, "nointerp", "#!/usr/bin/no-such-shell\nexit 0\n");
    ExecResult r = TestAgents.executor(root, tmp, true).run(Invocation.of(AgentRef.parse("ocf:vigiltest:nointerp"), "n",
        "start", Map.of(), Duration.ofSeconds(10)));
    assertThat(r.status()).isEqualTo(ExecStatus.NOT_INSTALLED);
    assertThat(r.classification()).isEqualTo(Classification.NOT_INSTALLED);
    assertThat(r.detail()).startsWith("vigil: cannot execute " + root.resolve("resource.d/vigiltest/nointerp"));
  }

  @Test
  void builtinAgentIsInterruptedAtItsTimeout() {
    BuiltinRegistry registry = new BuiltinRegistry().register(new BuiltinAgent() {
      @Override
      public String type() {
        return "sleepy";
      }

      @Override
      public String metadataXml() {
        return "<resource-agent name=\"sleepy\"/>";
      }

      @Override
      public int run(Invocation inv, java.io.PrintWriter out) throws Exception {
        out.println("going to sleep");
        Thread.sleep(60_000);
        return 0;
      }
    });
    AgentExecutor ex = AgentExecutor.system(ExecConfig.defaults(), registry);
    ExecResult r = ex.run(Invocation.of(AgentRef.parse("builtin:sleepy"), "z", "start", Map.of(), Duration.ofMillis(200)));
    assertThat(r.status()).isEqualTo(ExecStatus.TIMED_OUT);
    assertThat(r.output()).isEqualTo("going to sleep\n");
    assertThat(ex.run(Invocation.of(AgentRef.parse("builtin:nope"), "z", "start", Map.of(), Duration.ofSeconds(1))).detail())
        .isEqualTo("no builtin agent 'nope': known types are [sleepy]");
  }

  @Test
  void lsbScriptStatusCodesMapToOcf() throws Exception {
    Path initd = tmp.resolve("init.d");
    Path state = tmp.resolve("svc.state");
    TestAgents.script(initd.resolve("vigil-svc"), """
        #!/bin/sh
        case "$1" in
          start) touch '%1$s' ;;
          stop) rm -f '%1$s' ;;
          status) if [ -f '%1$s' ]; then echo running; exit 0; else echo stopped; exit 3; fi ;;
          *) echo "Usage: $0 {start|stop|status}"; exit 2 ;;
        esac
        """.formatted(state));
    AgentExecutor ex = TestAgents.executor(tmp.resolve("ocf"), initd, true);
    AgentRef lsb = AgentRef.parse("lsb:vigil-svc");
    java.util.function.Function<String, ExecResult> run = a -> ex.run(Invocation.of(lsb, "svc", a, Map.of(), Duration.ofSeconds(10)));
    assertThat(run.apply("monitor").rc()).isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(run.apply("start").rc()).isEqualTo(OcfRc.SUCCESS);
    assertThat(state).exists();
    ExecResult status = run.apply("monitor");
    assertThat(status.rc()).isEqualTo(OcfRc.SUCCESS);
    assertThat(status.output()).isEqualTo("running\n");
    assertThat(run.apply("stop").rc()).isEqualTo(OcfRc.SUCCESS);
    assertThat(run.apply("status").rc()).isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(run.apply("reload").classification()).isEqualTo(Classification.HARD_ERROR);
  }

  @Test
  void lsbStatusOtherThanZeroOrNotRunningIsAFailure() throws Exception {
    Path initd = tmp.resolve("init.d");
    TestAgents.script(initd.resolve("broken"), "#!/bin/sh\nexit 4\n");
    ExecResult r = TestAgents.executor(tmp.resolve("ocf"), initd, true)
        .run(Invocation.of(AgentRef.parse("lsb:broken"), "b", "monitor", Map.of(), Duration.ofSeconds(10)));
    assertThat(r.rc()).isEqualTo(OcfRc.ERR_GENERIC);
    assertThat(r.classification()).isEqualTo(Classification.SOFT_ERROR);
  }

  @Test
  void systemdSaysWhyItIsUnavailableWhenNotPid1() throws Exception {
    String pid1 = Files.readString(Path.of("/proc/1/comm")).strip();
    ExecResult r = system.run(Invocation.of(AgentRef.parse("systemd:nginx"), "web", "start", Map.of(), Duration.ofSeconds(10)));
    if (pid1.equals("systemd")) {
      assertThat(r.status()).isNotEqualTo(ExecStatus.TIMED_OUT);
    } else {
      assertThat(r.status()).isEqualTo(ExecStatus.NOT_INSTALLED);
      assertThat(r.detail()).isEqualTo("systemd is not available here (PID 1 is " + pid1 + ")");
    }
  }

  @Test
  void builtinDummyPassesTheContract() {
    List<AgentTester.Check> checks = new AgentTester(TestAgents.executor(tmp, tmp.resolve("init.d"), true))
        .test(AgentRef.parse("builtin:dummy"), instance(), Map.of(), Optional.empty());
    assertThat(checks).allSatisfy(c -> assertThat(c.pass()).as(c.name() + ": " + c.actual()).isTrue());
    assertThat(tmp.resolve("builtin-state")).isDirectory();
  }
}
