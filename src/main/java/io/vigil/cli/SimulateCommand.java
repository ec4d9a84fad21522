package io.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.config.cib.CibImport;
import io.vigil.config.cib.CibImporter;
import io.vigil.model.ClusterConfig;
import io.vigil.scheduler.Scheduler;
import io.vigil.scheduler.Transition;
import io.vigil.scheduler.simulate.Events;
import io.vigil.scheduler.simulate.GraphDot;
import io.vigil.scheduler.simulate.SimTime;
import io.vigil.scheduler.simulate.SimulationReport;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import io.vigil.status.cib.CibStatusReader;
import io.vigil.status.yaml.StatusYaml;
import io.vigil.status.yaml.StatusYamlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil simulate}: what the scheduler would do with a CIB (config and status), after
 * optional what-if events, printed in crm_simulate's layout; or a whole directory in one JVM.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Show what the scheduler would do (crm_simulate-like): current status, "
        + "transition summary, revised status.")
public final class SimulateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"--cib", "-x"}, paramLabel = "FILE", description = "A Pacemaker CIB with its status section.")
  Path cib;

  @Option(names = {"-f", "--config"}, paramLabel = "FILE", description = "A Vigil cluster.yaml (with --status).")
  Path configFile;

  @Option(names = "--status", paramLabel = "FILE",
      description = "With -f: the observed status in YAML (docs/scheduler.md, \"Status files\"); default: every node online, no history.")
  Path statusFile;

  @Option(names = "--live", description = "Simulate on the running cluster: its configuration and status, read from the local daemon.")
  boolean live;

  @picocli.CommandLine.Mixin ClusterCli.StateDirOption dir;

  @Option(names = {"--graph", "-D"}, paramLabel = "FILE", description = "Write the action graph in Graphviz dot.")
  Path graph;

  @Option(names = "--cib-dir", paramLabel = "DIR", description = "Batch: simulate every DIR/NAME.xml.")
  Path cibDir;

  @Option(names = "--out-dir", paramLabel = "OUT", description = "Batch: write OUT/NAME.summary for each case.")
  Path outDir;

  @Option(names = "--node-down", paramLabel = "NODE", description = "The node left cleanly.")
  List<String> nodeDown = new ArrayList<>();

  @Option(names = "--node-up", paramLabel = "NODE", description = "The node joined.")
  List<String> nodeUp = new ArrayList<>();

  @Option(names = "--node-fail", paramLabel = "NODE", description = "The node was lost (unclean).")
  List<String> nodeFail = new ArrayList<>();

  @Option(names = "--op-fail", paramLabel = "RSC_ACTION_INTERVAL@NODE=RC", description = "An operation failed.")
  List<String> opFail = new ArrayList<>();

  @Option(names = "--standby", paramLabel = "NODE", description = "Put the node in standby.")
  List<String> standby = new ArrayList<>();

  @Option(names = {"--set-time", "-t"}, paramLabel = "TIME", description = "Simulate at this time (ISO 8601).")
  String setTime;

  @Option(names = "--run", description = "Apply the transition and show the revised status (always shown).")
  boolean run;

  @Option(names = "--json", description = "Print placements, actions and notes as JSON.")
  boolean json;

  @Option(names = "--timing", description = "Print the in-process scheduling time to stderr.")
  boolean timing;

  @Option(names = {"--scores", "-s"}, description = "Also print the allocation score of every resource on every node.")
  boolean scores;

  @Option(names = "--why", description = "With the scores, where each comes from: every step that changed it"
      + " (locations, stickiness, failures, unavailable nodes, colocations). Implies --scores.")
  boolean why;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (cibDir != null) return batch(out, err);
    if ((cib != null ? 1 : 0) + (configFile != null ? 1 : 0) + (live ? 1 : 0) != 1) {
      err.println("simulate: give one of --cib FILE, -f cluster.yaml [--status status.yaml] or --live "
          + "(or --cib-dir DIR --out-dir OUT)");
      return 2;
    }
    if (statusFile != null && configFile == null) {
      err.println("simulate: --status goes with -f cluster.yaml (a CIB carries its own status)");
      return 2;
    }
    Path source = cib != null ? cib : configFile != null ? configFile : Path.of("live cluster");
    try {
      long l0 = System.nanoTime();
      Loaded l = cib != null ? load(cib) : live ? LiveCluster.load(dir) : loadYaml(configFile, statusFile);
      if (timing) err.printf("loaded in %.3f ms%n", (System.nanoTime() - l0) / 1e6);
      warmExitLogger();
      ClusterStatus status = applyEvents(l.status);
      Instant now = setTime != null ? SimTime.parse(setTime)
          : status.executionDate().orElseGet(Instant::now);
      long t0 = System.nanoTime();
      Scheduler.Options options = why ? Scheduler.Options.WITH_NOTIFICATIONS.withExplainedScores() : Scheduler.Options.WITH_NOTIFICATIONS;
      Transition t = Scheduler.schedule(l.config, status, now, options);
      long t1 = System.nanoTime();
      if (timing) err.printf("scheduled in %.3f ms (%d actions)%n", (t1 - t0) / 1e6, t.actions().size());
      l.notes.forEach(n -> err.println(source + ": " + n));
      if (graph != null) Files.writeString(graph, GraphDot.render(t), StandardCharsets.UTF_8);
      if ((scores || why) && !json) out.print(SimulationReport.scores(t) + "\n");
      long r0 = System.nanoTime();
      out.print(json ? toJson(t) : SimulationReport.render(l.config, t));
      out.flush();
      if (timing) err.printf("rendered in %.3f ms%n", (System.nanoTime() - r0) / 1e6);
      return t.unsupported().isEmpty() ? 0 : 3;
    } catch (SimulationInputException | IllegalArgumentException e) {
      err.println("simulate: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("simulate: cannot write " + graph + ": " + e.getMessage());
      return 1;
    }
  }

  /**
   * System.exit (JDK 21+) asks for the System.Logger "java.lang.Runtime", whose first use searches
   * every jar on the class path for a LoggerFinder: up to ~25 ms at the end of a cold run. Done on a
   * daemon thread while the transition is computed, it costs the operator nothing.
   */
  private static void warmExitLogger() {
    Thread.ofPlatform().daemon().name("exit-logger-lookup")
        .start(() -> System.getLogger("java.lang.Runtime").isLoggable(System.Logger.Level.DEBUG));
  }

  /** Reads a cluster.yaml and, if given, a status YAML file; every problem as file:line:column. */
  static Loaded loadYaml(Path config, Path status) throws SimulationInputException {
    ConfigLoader.Result r = new ConfigLoader(AgentCatalog.NONE).check(config);
    if (!r.valid()) {
      throw new SimulationInputException(config + " is invalid:\n" + String.join("\n",
          r.errors().stream().map(Object::toString).toList()), null);
    }
    ClusterConfig c = r.config().orElseThrow();
    List<String> notes = new ArrayList<>(r.warnings().stream().map(Object::toString).toList());
    if (status == null) {
      List<NodeStatus> nodes = new ArrayList<>();
      c.nodes().forEach(n -> nodes.add(NodeStatus.online(n.name(), List.of())));
      return new Loaded(c, ClusterStatus.of(nodes), notes);
    }
    try {
      String text = Files.readString(status, StandardCharsets.UTF_8);
      Set<String> names = new java.util.HashSet<>();
      c.nodes().forEach(n -> names.add(n.name()));
      return new Loaded(c, StatusYaml.read(text, status.toString(), java.util.Optional.of(names)), notes);
    } catch (IOException e) {
      throw new SimulationInputException("cannot read " + status + ": " + e.getMessage(), e);
    } catch (StatusYamlException e) {
      throw new SimulationInputException(status + " is invalid:\n" + e.getMessage(), e);
    }
  }

  /** Runs {@code simulate} on its own (benchmarks; {@code vigil simulate} once registered in Main). */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new SimulateCommand()).execute(args));
  }

  private ClusterStatus applyEvents(ClusterStatus s) {
    for (String n : nodeDown) s = Events.nodeDown(s, n);
    for (String n : nodeUp) s = Events.nodeUp(s, n);
    for (String n : nodeFail) s = Events.nodeFail(s, n);
    for (String n : standby) s = Events.standby(s, n);
    for (String o : opFail) s = Events.opFail(s, o);
    return s;
  }

  private int batch(PrintWriter out, PrintWriter err) throws IOException {
    if (outDir == null) {
      err.println("simulate: --cib-dir needs --out-dir");
      return 2;
    }
    if (!Files.isDirectory(cibDir)) {
      err.println("simulate: --cib-dir " + cibDir + " is not a directory");
      return 2;
    }
    Files.createDirectories(outDir);
    List<Path> files;
    try (Stream<Path> s = Files.list(cibDir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".xml")).sorted().toList();
    }
    int ok = 0;
    int failed = 0;
    for (Path f : files) {
      String name = f.getFileName().toString().replaceFirst("\\.xml$", "");
      String text;
      try {
        Loaded l = load(f);
        Instant now = l.status.executionDate().orElseGet(Instant::now);
        text = SimulationReport.render(l.config, Scheduler.schedule(l.config, l.status, now));
        ok++;
      } catch (SimulationInputException | RuntimeException e) {
        text = "Error: " + e.getClass().getSimpleName() + ": " + e.getMessage() + "\n";
        failed++;
      }
      Files.writeString(outDir.resolve(name + ".summary"), text, StandardCharsets.UTF_8);
    }
    out.printf("simulated %d case(s) from %s into %s: %d ok, %d failed%n", files.size(), cibDir, outDir, ok, failed);
    out.flush();
    return 0;
  }

  /** A CIB's configuration and status, with the importer's notes. */
  record Loaded(ClusterConfig config, ClusterStatus status, List<String> notes) {}

  /** Reads a CIB file into configuration and status. */
  static Loaded load(Path file) throws SimulationInputException {
    try {
      String xml = Files.readString(file, StandardCharsets.UTF_8);
      // The configuration and the status sections are read independently: in parallel, since a
      // what-if is a short-lived command whose start-up an operator waits for.
      var status = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return CibStatusReader.read(xml, file.toString());
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      // The status reader parses (and checks) the whole document; the importer stops after the
      // configuration, most often well before the larger status section.
      CibImport imp = new CibImporter().importConfiguration(xml.getBytes(StandardCharsets.UTF_8), file.toString());
      CibStatusReader.Result st;
      try {
        st = status.join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
      List<String> notes = new ArrayList<>();
      imp.notes().forEach(n -> notes.add(n.toString()));
      notes.addAll(st.warnings());
      return new Loaded(imp.config(), st.status(), notes);
    } catch (IOException e) {
      throw new SimulationInputException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new SimulationInputException(e.getMessage(), e);
    }
  }

  /** Input that cannot be simulated, with a message naming the file and the problem. */
  static final class SimulationInputException extends Exception {
    SimulationInputException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static String toJson(Transition t) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    ArrayNode ps = root.putArray("placements");
    for (Transition.Placement p : t.placements()) {
      ObjectNode n = ps.addObject();
      n.put("instance", p.instanceId());
      n.put("resource", p.resourceId());
      ObjectNode cur = n.putObject("current");
      p.current().forEach((k, v) -> cur.put(k, v.label()));
      n.put("failed", p.failed());
      n.put("target", p.target().orElse(null));
      n.put("role", p.targetRole().label());
      n.put("managed", p.managed());
    }
    ArrayNode as = root.putArray("actions");
    for (Transition.Action a : t.actions()) as.add(a.describe());
    ArrayNode es = root.putArray("edges");
    for (Transition.Edge e : t.edges()) es.addArray().add(e.first()).add(e.then());
    ArrayNode fs = root.putArray("fence");
    t.fenced().forEach(fs::add);
    ArrayNode sc = root.putArray("scores");
    for (Transition.AllocationScore s : t.scores()) {
      var o = sc.addObject().put("resource", s.resource()).put("node", s.node()).put("score", s.score().toString());
      if (!s.why().isEmpty()) s.why().forEach(o.putArray("why")::add);
    }
    ArrayNode us = root.putArray("unsupported");
    t.unsupported().forEach(us::add);
    ArrayNode ws = root.putArray("warnings");
    t.warnings().forEach(ws::add);
    root.put("recheckAt", t.recheckAt().map(Object::toString).orElse(null));
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }
}
