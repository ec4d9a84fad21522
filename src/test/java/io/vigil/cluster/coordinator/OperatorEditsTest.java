package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.config.ConfigWriter;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Constraint;
import io.vigil.model.Location;
import io.vigil.model.Score;
import org.junit.jupiter.api.Test;

class OperatorEditsTest {
  static final ClusterConfig CONFIG = new ConfigLoader(AgentCatalog.NONE).check("""
      cluster: t
      properties: {fencing-enabled: false}
      nodes: [{name: n1}, {name: n2}]
      resources:
        - {primitive: db, agent: "ocf:heartbeat:Dummy"}
        - group: web
          members: [{primitive: web-ip, agent: "builtin:dummy"}]
        - clone: ping-clone
          resource: {primitive: ping, agent: "builtin:dummy"}
      """, "t.yaml").config().orElseThrow();

  @Test
  void moveAddsOnePreferenceThatAnotherMoveReplaces() {
    ClusterConfig once = OperatorEdits.move(CONFIG, "db", "n1");
    ClusterConfig twice = OperatorEdits.move(once, "db", "n2");
    assertThat(twice.constraints()).containsExactly(Location.of("cli-prefer-db", "db", "n2", Score.INFINITY));
    assertThat(OperatorEdits.inForce(twice)).singleElement().asString().startsWith("db moved to n2");
  }

  @Test
  void banThenClearLeavesNothingBehindAndTheResultIsAValidConfiguration() {
    ClusterConfig banned = OperatorEdits.ban(OperatorEdits.move(CONFIG, "web", "n1"), "web", "n2");
    assertThat(banned.constraints()).extracting(Constraint::id).containsExactly("cli-prefer-web", "cli-ban-web-on-n2");
    assertThat(new ConfigLoader(AgentCatalog.NONE).check(ConfigWriter.write(banned), "x").errors()).isEmpty();
    assertThat(OperatorEdits.clear(banned, "web").constraints()).isEmpty();
  }

  @Test
  void badRequestsSayWhatIsWrong() {
    assertThatThrownBy(() -> OperatorEdits.move(CONFIG, "dbb", "n1")).hasMessage("unknown resource 'dbb' (did you mean 'db'?)");
    assertThatThrownBy(() -> OperatorEdits.move(CONFIG, "db", "n3")).hasMessageStartingWith("unknown node 'n3'");
    assertThatThrownBy(() -> OperatorEdits.move(CONFIG, "web-ip", "n1"))
        .hasMessage("'web-ip' is a member of group 'web'; move the group instead");
    assertThatThrownBy(() -> OperatorEdits.ban(CONFIG, "ping", "n1"))
        .hasMessage("'ping' is cloned; name the clone 'ping-clone' instead");
    assertThatThrownBy(() -> OperatorEdits.clear(CONFIG, "db"))
        .hasMessage("resource 'db' has no move or ban constraint to clear");
  }
}
