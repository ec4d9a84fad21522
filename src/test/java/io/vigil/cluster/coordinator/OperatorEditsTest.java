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
    assertThat(OperatorEdits.inForce(twice, java.time.Instant.EPOCH)).singleElement().asString().startsWith("db moved to n2");
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

  @Test
  void moveWithLifetimeWritesCrmResourceRuleThatRoundTripsAndStatusShowsItsExpiry() {
    java.time.Instant until = java.time.Instant.parse("2026-11-25T21:00:00.750Z");
    ClusterConfig moved = OperatorEdits.move(CONFIG, "db", "n2", java.util.Optional.of(until));
    String yaml = ConfigWriter.write(moved);
    assertThat(yaml).contains("cli-prefer-db").contains("#uname").contains("date: lt").contains("end: 2026-11-25T21:00:00Z");
    ClusterConfig back = new ConfigLoader(AgentCatalog.NONE).check(yaml, "x").config().orElseThrow();
    assertThat(back.constraints()).isEqualTo(moved.constraints());
    Location l = (Location) back.constraints().getFirst();
    assertThat(l.rules()).singleElement().satisfies(r -> {
      assertThat(r.score()).contains(Score.INFINITY);
      assertThat(r.expressions()).hasSize(2);
    });
    var f = OperatorEdits.operatorConstraints(back);
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.node()).isEqualTo("n2");
      assertThat(x.until()).contains(java.time.Instant.parse("2026-11-25T21:00:00Z"));
    });
    assertThat(OperatorEdits.inForce(back, java.time.Instant.parse("2026-11-25T20:00:00Z")))
        .containsExactly("db moved to n2 until 2026-11-25T21:00:00Z (1h0m left) (constraint cli-prefer-db; vigil resource clear db)");
    assertThat(OperatorEdits.inForce(back, java.time.Instant.parse("2026-11-25T21:00:00Z")).getFirst())
        .contains("EXPIRED at 2026-11-25T21:00:00Z");
    ClusterConfig banned = OperatorEdits.ban(back, "db", "n1", java.util.Optional.of(until));
    assertThat(OperatorEdits.operatorConstraints(banned)).extracting(OperatorEdits.InForce::move).containsExactly(true, false);
    assertThat(OperatorEdits.clear(banned, "db").constraints()).isEmpty();
  }

  @Test
  void targetRoleIsWrittenOnTheNamedResourceAtAnyLevelAndRoundTrips() {
    ClusterConfig stopped = OperatorEdits.targetRole(CONFIG, "web-ip", io.vigil.model.Role.STOPPED);
    ClusterConfig back = new ConfigLoader(AgentCatalog.NONE).check(ConfigWriter.write(stopped), "x").config().orElseThrow();
    assertThat(back.resource("web-ip").orElseThrow().meta().get(io.vigil.model.Meta.TARGET_ROLE)).contains(io.vigil.model.Role.STOPPED);
    assertThat(back.resource("web").orElseThrow().meta().values()).isEmpty();
    ClusterConfig clone = OperatorEdits.targetRole(CONFIG, "ping-clone", io.vigil.model.Role.STOPPED);
    assertThat(clone.effectiveMeta("ping").get(io.vigil.model.Meta.TARGET_ROLE)).contains(io.vigil.model.Role.STOPPED);
    assertThat(OperatorEdits.targetRole(stopped, "web-ip", io.vigil.model.Role.STARTED).resource("web-ip").orElseThrow().meta()
        .get(io.vigil.model.Meta.TARGET_ROLE)).contains(io.vigil.model.Role.STARTED);
    assertThatThrownBy(() -> OperatorEdits.targetRole(stopped, "web-ip", io.vigil.model.Role.STOPPED))
        .hasMessage("resource 'web-ip' already has target-role Stopped");
    assertThatThrownBy(() -> OperatorEdits.targetRole(CONFIG, "wb", io.vigil.model.Role.STOPPED))
        .hasMessageStartingWith("unknown resource 'wb'");
  }

  @Test
  void maintenanceModeTogglesTheClusterProperty() {
    ClusterConfig on = OperatorEdits.maintenanceMode(CONFIG, true);
    assertThat(on.properties().getOrDefault(io.vigil.model.ClusterProperties.MAINTENANCE_MODE)).isTrue();
    assertThat(on.properties().getOrDefault(io.vigil.model.ClusterProperties.FENCING_ENABLED)).isFalse();
    assertThatThrownBy(() -> OperatorEdits.maintenanceMode(on, true)).hasMessage("maintenance-mode is already on");
    assertThat(OperatorEdits.maintenanceMode(on, false).properties()
        .getOrDefault(io.vigil.model.ClusterProperties.MAINTENANCE_MODE)).isFalse();
  }
}
