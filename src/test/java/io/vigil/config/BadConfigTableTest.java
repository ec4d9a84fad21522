package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bad configuration is refused with exactly this message at exactly this place. */
class BadConfigTableTest {

  record Case(String name, String yaml, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String NODES = """
      cluster: t
      properties: {fencing-enabled: false}
      nodes:
        - name: alpha
        - name: beta
      """;

  static Stream<Case> cases() {
    return Stream.of(
        new Case("misspelt top-level key", """
            cluster: t
            resorces: []
            """, "t.yaml:2:1: the configuration: unknown key 'resorces' (did you mean 'resources'?); expected one of "
            + "cluster, properties, resource-defaults, operation-defaults, nodes, resources, constraints, fencing"),
        new Case("missing cluster name", """
            nodes: []
            """, "t.yaml:1:1: the configuration has no 'cluster' (expected e.g. cluster: mail-cluster)"),
        new Case("broken YAML", """
            cluster: t
            resources: [a, b
            """, "t.yaml:3:1: not valid YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>"),
        new Case("duplicate key", """
            cluster: t
            cluster: u
            """, "t.yaml:2:1: the configuration: key 'cluster' appears twice (first on line 1)"),
        new Case("top level is a list", """
            - cluster: t
            """, "t.yaml:1:1: the configuration must be a mapping of keys to values, found a list"),
        new Case("primitive without agent", NODES + """
            resources:
              - primitive: db
            """, "t.yaml:7:5: primitive 'db' has no 'agent' (expected e.g. agent: ocf:heartbeat:Dummy)"),
        new Case("unknown agent class", NODES + """
            resources:
              - primitive: db
                agent: ocff:heartbeat:Dummy
            """, "t.yaml:8:12: primitive 'db': agent 'ocff:heartbeat:Dummy': unknown agent class 'ocff': expected one of "
            + "ocf, lsb, systemd, service, stonith, builtin"),
        new Case("ocf agent without provider", NODES + """
            resources:
              - primitive: db
                agent: ocf:Dummy
            """, "t.yaml:8:12: primitive 'db': agent 'ocf:Dummy': expected ocf:PROVIDER:TYPE, e.g. ocf:heartbeat:Dummy"),
        new Case("bad score in meta", NODES + """
            resources:
              - primitive: db
                agent: ocf:heartbeat:Dummy
                meta: {resource-stickiness: lots}
            """, "t.yaml:9:33: primitive 'db': 'resource-stickiness' has value 'lots', expected an integer, INFINITY or -INFINITY"),
        new Case("misspelt meta key", NODES + """
            resources:
              - primitive: db
                agent: ocf:heartbeat:Dummy
                meta: {target-rol: Stopped}
            """, "t.yaml:9:12: primitive 'db': unknown resource meta attribute 'target-rol' (did you mean 'target-role'?)"),
        new Case("bad duration", NODES + """
            resources:
              - primitive: db
                agent: ocf:heartbeat:Dummy
                operations:
                  - {name: monitor, interval: 10x}
            """, "t.yaml:10:35: primitive 'db': operation 'monitor': 'interval': '10x' is not a duration "
            + "(expected e.g. 500ms, 1.5s, 20s, 5m, 1h30m, PT20S, or seconds as an integer)"),
        new Case("duplicate resource id", NODES + """
            resources:
              - primitive: db
                agent: ocf:heartbeat:Dummy
              - primitive: db
                agent: ocf:heartbeat:Dummy
            """, "t.yaml:9:16: duplicate resource id 'db' (ids must be unique among resources)"),
        new Case("resource in two groups", NODES + """
            resources:
              - group: g1
                members:
                  - {primitive: a, agent: "ocf:heartbeat:Dummy"}
              - group: g2
                members:
                  - {primitive: a, agent: "ocf:heartbeat:Dummy"}
            """, "t.yaml:12:21: resource 'a' is a member of group 'g1' and group 'g2' (a resource can be in one group only)"),
        new Case("clone of a group member", NODES + """
            resources:
              - group: g1
                members:
                  - {primitive: a, agent: "ocf:heartbeat:Dummy"}
              - clone: a-clone
                resource: {primitive: a, agent: "ocf:heartbeat:Dummy"}
            """, "t.yaml:11:27: clone 'a-clone' clones 'a', which is a member of group 'g1' (clone the whole group instead)"),
        new Case("group inside group", NODES + """
            resources:
              - group: g1
                members:
                  - group: g2
                    members: []
            """, "t.yaml:9:9: group 'g1': members must be primitives ('primitive: ID'), found a group "
            + "(groups cannot contain groups or clones; clone the group instead)"),
        new Case("order names unknown resource", NODES + """
            resources:
              - {primitive: db, agent: "ocf:heartbeat:Dummy"}
              - {primitive: web, agent: "ocf:heartbeat:Dummy"}
            constraints:
              - order: web-after-db
                first: dbb
                then: web
            """, "t.yaml:11:12: order 'web-after-db' names unknown resource 'dbb' (did you mean 'db'?)"),
        new Case("location names unknown node", NODES + """
            resources:
              - {primitive: db, agent: "ocf:heartbeat:Dummy"}
            constraints:
              - location: db-pref
                resource: db
                node: alpah
                score: 100
            """, "t.yaml:11:11: location 'db-pref' names unknown node 'alpah' (did you mean 'alpha'?)"),
        new Case("mandatory order cycle", NODES + """
            resources:
              - {primitive: a, agent: "ocf:heartbeat:Dummy"}
              - {primitive: b, agent: "ocf:heartbeat:Dummy"}
            constraints:
              - {order: a-then-b, first: a, then: b}
              - {order: b-then-a, first: b, then: a}
            """, "t.yaml: mandatory orders form a cycle: a start -> b start -> a start (order 'a-then-b', order 'b-then-a')"),
        new Case("colocation with itself", NODES + """
            resources:
              - {primitive: a, agent: "ocf:heartbeat:Dummy"}
            constraints:
              - {colocation: self, resource: a, with: a, score: INFINITY}
            """, "t.yaml:9:18: colocation 'self' places 'a' with itself"),
        new Case("location with node but no score", NODES + """
            resources:
              - {primitive: a, agent: "ocf:heartbeat:Dummy"}
            constraints:
              - {location: l, resource: a, node: alpha}
            """, "t.yaml:9:5: location 'l' has 'node' without 'score' (expected both, e.g. node: node1 and score: 100)"),
        new Case("clone option on a primitive", NODES + """
            resources:
              - primitive: a
                agent: ocf:heartbeat:Dummy
                meta: {clone-max: 2}
            """, "t.yaml:9:12: resource 'a': meta 'clone-max' applies to clones only (put it on the clone's meta)"),
        new Case("promoted role on a non-promotable resource", NODES + """
            resources:
              - {primitive: a, agent: "ocf:heartbeat:Dummy"}
              - {primitive: b, agent: "ocf:heartbeat:Dummy"}
            constraints:
              - {colocation: c, resource: a, with: b, with-role: Promoted, score: INFINITY}
            """, "t.yaml:10:18: colocation 'c' uses role Promoted but 'b' is not a promotable clone"),
        new Case("constraint on a cloned primitive", NODES + """
            resources:
              - clone: dlm-clone
                resource: {primitive: dlm, agent: "ocf:heartbeat:Dummy"}
            constraints:
              - {location: l, resource: dlm, node: alpha, score: 10}
            """, "t.yaml:10:29: location 'l' names 'dlm', which is cloned; name the clone 'dlm-clone' instead"),
        new Case("duplicate operation", NODES + """
            resources:
              - primitive: a
                agent: ocf:heartbeat:Dummy
                operations:
                  - {name: monitor, interval: 10s}
                  - {name: monitor, interval: 10}
            """, "t.yaml:11:9: resource 'a': operation monitor with interval 10s is defined twice"),
        new Case("fencing level with unknown device", NODES + """
            resources:
              - {primitive: fence-a, agent: "stonith:fence_dummy"}
            fencing:
              levels:
                - {node: alpha, index: 1, devices: [fence-b]}
            """, "t.yaml:10:40: fencing level 1 for 'alpha' names unknown device 'fence-b' (did you mean 'fence-a'?)"),
        new Case("fencing level index out of range", NODES + """
            fencing:
              levels:
                - {node: alpha, index: 12, devices: [x]}
            """, "t.yaml:8:28: fencing level: 'index': '12' is not a level index (expected 1 to 9)"),
        new Case("secret parameter that is not a path", NODES + """
            resources:
              - primitive: f
                agent: stonith:fence_ipmilan
                secret-params: {password: hunter2}
            """, "t.yaml:9:31: primitive 'f': secret-params 'password' is 'hunter2', expected the absolute path of a file holding the secret"),
        new Case("bad property value", """
            cluster: t
            properties: {no-quorum-policy: panic}
            """, "t.yaml:2:32: the configuration: 'no-quorum-policy' has value 'panic', expected one of stop, freeze, ignore, demote, suicide"),
        new Case("rule without expressions", NODES + """
            resources:
              - {primitive: a, agent: "ocf:heartbeat:Dummy"}
            constraints:
              - location: l
                resource: a
                rules:
                  - score: 10
            """, "t.yaml:12:9: location 'l': rule 'l-rule-1' has no expressions (expected e.g. expressions: "
            + "[{attribute: \"#uname\", operation: eq, value: node1}])"),
        new Case("alias bomb", "cluster: t\na: &a [x,x,x,x,x,x,x,x,x,x]\n"
            + "b: &b [" + "*a,".repeat(120) + "*a]\n",
            "t.yaml: uses more than 100 aliases of lists or mappings; refused (such files can expand to billions of entries)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedWithExactLocatedMessage(Case c) {
    ConfigLoader.Result r = new ConfigLoader(AgentCatalog.NONE).check(c.yaml(), "t.yaml");
    assertThat(r.valid()).as("valid").isFalse();
    assertThat(r.config()).isEmpty();
    List<String> errors = r.errors().stream().map(Problem::toString).toList();
    assertThat(errors).contains(c.expected());
  }

  @org.junit.jupiter.api.Test
  void tableHasAtLeastTwentyCases() {
    assertThat(cases().count()).isGreaterThanOrEqualTo(20);
  }
}
