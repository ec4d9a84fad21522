package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pacemaker's own promotable test agent, {@code ocf:pacemaker:Stateful} (Debian's
 * pacemaker-resource-agents, unchanged), under three real daemons: it sets its promotion score
 * with {@code crm_attribute --promotion}, which vigild gives it under {@code HA_SBIN_DIR}; the
 * cluster promotes exactly one instance from those scores, and when that node's daemon dies,
 * a survivor's instance is promoted.
 */
@Tag("slow")
class AgentPromotionScoresTest {
  static final Path STATEFUL = Path.of("/usr/lib/ocf/resource.d/pacemaker/Stateful");
  static final List<String> NODES = List.of("a", "b", "c");
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  @Test
  void statefulSetsItsScoresThroughCrmAttributeAndExactlyOneInstanceIsPromotedBeforeAndAfterAFailure() throws Exception {
    assertThat(STATEFUL).as("ocf:pacemaker:Stateful (Debian package pacemaker-resource-agents; bin/test installs it)").exists();
    try (LocalCluster cluster = new LocalCluster(root, NODES)) {
      for (String n : NODES) cluster.daemonArgs.put(n, List.of("--agent-run-dir", root.resolve(n + "-run").toString()));
      cluster.form();
      System.out.println("daemon logs in " + root);
      Path cfg = root.resolve("cluster.yaml");
      Files.writeString(cfg, """
          cluster: demo
          properties: {fencing-enabled: false}
          nodes: [{name: a}, {name: b}, {name: c}]
          resources:
            - clone: st-clone
              meta: {promotable: true, promoted-max: 1, notify: true}
              resource:
                primitive: st
                agent: ocf:pacemaker:Stateful
                params: {envfile: ENVFILE}
                operations:
                  - {name: monitor, interval: 2s, role: Promoted}
                  - {name: monitor, interval: 3s, role: Unpromoted}
          """.replace("ENVFILE", root.resolve("stateful-env.log").toString()));
      assertThat(cluster.cli("apply", "-f", cfg.toString(), "--reason", "test", "--state-dir", dir(cluster, "a"))).isZero();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).alias("one Promoted, two Unpromoted")
          .until(() -> roles(NODES).stream().filter("Promoted"::equals).count() == 1
              && roles(NODES).stream().filter("Unpromoted"::equals).count() == 2);
      String primary = NODES.get(roles(NODES).indexOf("Promoted"));
      // the scores the agent set (Stateful: 10 promoted, 5 unpromoted), read back through the CLI
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).alias("scores replicated")
          .until(() -> NODES.stream().allMatch(n -> score(cluster, n).equals(n.equals(primary) ? "10" : "5")));
      // notify: true: the agent heard of the promotion, before and after, with Pacemaker's
      // variables (Stateful writes its whole environment to envfile on every action)
      String env = Files.readString(root.resolve("stateful-env.log"));
      assertThat(env).contains("OCF_RESKEY_CRM_meta_notify_type=pre", "OCF_RESKEY_CRM_meta_notify_type=post",
          "OCF_RESKEY_CRM_meta_notify_operation=promote", "OCF_RESKEY_CRM_meta_notify_promote_uname=" + primary,
          "OCF_RESKEY_CRM_meta_notify_all_uname=a b c", "OCF_RESKEY_CRM_meta_globally_unique=false");
      // the cluster then rests: still one Promoted after several monitor intervals
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
          .alias("exactly one Promoted for more than a period of each monitor")
          .until(() -> roles(NODES).stream().filter("Promoted"::equals).count() == 1);
      assertThat(roles(NODES)).containsOnlyOnce("Promoted");
      // no demotion happened (a monitor of the old role left running after the promotion sees 8
      // where it expects 0: a failure, and the cluster demotes, again and again)
      assertThat(Files.readString(root.resolve("stateful-env.log"))).doesNotContain("### demote");

      // what the cluster keeps itself, unknown nodes and bad names are refused and change nothing
      assertThat(cluster.cli("node", "attribute", "a", "fail-count-st", "0", "--state-dir", dir(cluster, "a"))).isEqualTo(1);
      assertThat(cluster.cli("node", "attribute", "zz", "x", "1", "--state-dir", dir(cluster, "a"))).isEqualTo(1);
      assertThat(cluster.cli("node", "attribute", "a", "bad name", "1", "--state-dir", dir(cluster, "a"))).isEqualTo(1);
      assertThat(cluster.cli("node", "attribute", "a", "rack", "r1", "--state-dir", dir(cluster, "a"))).isZero();
      assertThat(cluster.cli("node", "attribute", "a", "rack", "--state-dir", dir(cluster, "b"))).isZero();
      assertThat(cluster.lastOutput.trim()).isEqualTo("r1");

      cluster.procs.get(primary).destroyForcibly().waitFor();
      List<String> survivors = NODES.stream().filter(n -> !n.equals(primary)).toList();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).alias("a survivor promoted")
          .until(() -> roles(survivors).contains("Promoted"));
      assertThat(roles(survivors)).containsOnlyOnce("Promoted");
      String next = survivors.get(roles(survivors).indexOf("Promoted"));
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).alias("new primary's score")
          .until(() -> score(cluster, next).equals("10"));
    }
  }

  /** What each node's Stateful instance says it is (its state file under the node's run dir), "" when stopped. */
  private List<String> roles(List<String> nodes) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    for (String n : nodes) {
      Path f = root.resolve(n + "-run").resolve("Stateful-st.state");
      out.add(Files.exists(f) ? Files.readString(f).trim() : "");
    }
    return out;
  }

  private static String score(LocalCluster cluster, String node) {
    String viewer = cluster.procs.get(node).isAlive() ? node : NODES.stream().filter(n -> cluster.procs.get(n).isAlive()).findFirst().orElseThrow();
    int rc = cluster.cli("node", "attribute", node, "master-st", "--state-dir", dir(cluster, viewer));
    return rc == 0 ? cluster.lastOutput.trim() : "";
  }

  private static String dir(LocalCluster cluster, String node) {
    return cluster.dirs.get(node).toString();
  }
}
