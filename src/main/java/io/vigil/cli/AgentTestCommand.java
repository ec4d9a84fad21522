package io.vigil.cli;

import io.vigil.model.AgentRef;
import io.vigil.exec.AgentTester;
import io.vigil.exec.ExecResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil agent test AGENT --param k=v ...}: the ocf-tester contract as a PASS/FAIL table. */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = {"Check an agent against the OCF contract (like ocf-tester); exit 0 only if all checks pass.",
        "  vigil agent test ocf:heartbeat:Dummy"})
final class AgentTestCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin AgentCommand.ExecOptions exec = new AgentCommand.ExecOptions();

  @Parameters(index = "0", paramLabel = "AGENT", converter = AgentCommand.AgentRefConverter.class,
      description = "e.g. ocf:heartbeat:Dummy, ocf:pacemaker:Stateful, lsb:NAME, builtin:dummy")
  AgentRef agent;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Instance parameter (repeatable).")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", converter = AgentCommand.DurationConverter.class,
      description = "Timeout of every action (default: the agent's advertised timeouts, else 20s).")
  Duration timeout;

  @Option(names = {"-i", "--instance"}, paramLabel = "ID",
      description = "Resource instance id (default: vigil-test-<random>, so tests never collide).")
  String instance;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String id = instance != null ? instance
        : "vigil-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    out.println("Testing " + agent + " as instance " + id);
    List<AgentTester.Check> checks = new AgentTester(exec.executor()).test(agent, id, params, Optional.ofNullable(timeout));
    print(out, checks);
    return checks.stream().allMatch(AgentTester.Check::pass) ? 0 : 1;
  }

  static void print(PrintWriter out, List<AgentTester.Check> checks) {
    int w1 = Math.max(5, checks.stream().mapToInt(c -> c.name().length()).max().orElse(5));
    int w2 = Math.max(8, checks.stream().mapToInt(c -> c.expected().length()).max().orElse(8));
    int w3 = Math.max(6, checks.stream().mapToInt(c -> Math.min(60, c.actual().length())).max().orElse(6));
    String fmt = "%-" + w1 + "s  %-" + w2 + "s  %-" + w3 + "s  %6s  %s%n";
    out.printf(fmt, "CHECK", "EXPECTED", "ACTUAL", "TIME", "RESULT");
    for (AgentTester.Check c : checks) {
      String actual = c.actual().length() > 60 ? c.actual().substring(0, 57) + "..." : c.actual();
      String time = c.result().map(r -> r.duration().toMillis() + "ms").orElse("");
      out.printf(fmt, c.name(), c.expected(), actual, time, c.pass() ? "PASS" : "FAIL");
    }
    long failed = checks.stream().filter(c -> !c.pass()).count();
    out.println(checks.size() + " checks: " + (checks.size() - failed) + " passed, " + failed + " failed");
    for (AgentTester.Check c : checks) {
      if (!c.pass()) {
        out.println();
        out.println("FAIL " + c.name() + ": " + c.actual());
        c.result().map(ExecResult::output).filter(o -> !o.isBlank()).ifPresent(o -> {
          List<String> lines = o.lines().toList();
          lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> out.println("  | " + l));
        });
      }
    }
  }
}
