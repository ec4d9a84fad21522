package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cli.PacemakerAttributeArgs.Action;
import io.vigil.cli.PacemakerAttributeArgs.Request;
import io.vigil.cli.PacemakerAttributeArgs.Scope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command lines agents give crm_attribute, crm_master and attrd_updater, as agents write them. */
class PacemakerAttributeArgsTest {
  static final Map<String, String> AGENT = Map.of("OCF_RESOURCE_INSTANCE", "db:1");

  static Request parse(String tool, String... args) throws Exception {
    return PacemakerAttributeArgs.parse(tool, List.of(args), AGENT);
  }

  @Test
  void promotionScoresAsStatefulAndOcfShellfuncsSetThem() throws Exception {
    // Stateful: crm_attribute --promotion -v 10; ocf_promotion_score: crm_attribute -p $OCF_RESOURCE_INSTANCE -v 10
    assertThat(parse("crm_attribute", "--promotion", "-v", "10"))
        .isEqualTo(new Request("crm_attribute", Action.SET, Scope.NODE, "", "master-db", "10", null, false, false));
    assertThat(parse("crm_attribute", "-p", "db:1", "-v", "10").name()).isEqualTo("master-db");
    assertThat(parse("crm_attribute", "--promotion=web", "-D").action()).isEqualTo(Action.DELETE);
    assertThat(parse("crm_attribute", "--promotion=web", "-D").name()).isEqualTo("master-web");
    // crm_master (older agents, drbd): -l reboot -v 100 / -D / -G -q
    assertThat(parse("crm_master", "-l", "reboot", "-v", "100"))
        .isEqualTo(new Request("crm_master", Action.SET, Scope.NODE, "", "master-db", "100", null, false, false));
    assertThat(parse("crm_master", "-G", "-q").action()).isEqualTo(Action.QUERY);
    assertThat(parse("crm_master", "-r", "other", "-D").name()).isEqualTo("master-other");
  }

  @Test
  void namedAttributesInEveryOptionSpelling() throws Exception {
    Request r = parse("crm_attribute", "-N", "n2", "-n", "pingd", "-l", "reboot", "-G", "-q");
    assertThat(r).isEqualTo(new Request("crm_attribute", Action.QUERY, Scope.NODE, "n2", "pingd", null, null, true, false));
    assertThat(parse("crm_attribute", "--node=n2", "--name=pingd", "--lifetime", "forever", "--update", "7").value()).isEqualTo("7");
    assertThat(parse("crm_attribute", "-npingd", "-v7").name()).isEqualTo("pingd");
    assertThat(parse("crm_attribute", "-Gq", "-n", "pingd").quiet()).isTrue();
    assertThat(parse("crm_attribute", "-t", "crm_config", "-n", "stonith-enabled", "-G", "-q", "-d", "true"))
        .isEqualTo(new Request("crm_attribute", Action.QUERY, Scope.PROPERTY, "", "stonith-enabled", null, "true", true, false));
    assertThat(parse("attrd_updater", "-n", "pingd", "-U", "1000", "-d", "5s"))
        .isEqualTo(new Request("attrd_updater", Action.SET, Scope.NODE, "", "pingd", "1000", null, false, false));
    assertThat(parse("attrd_updater", "-n", "pingd", "-Q", "-A").allNodes()).isTrue();
    assertThat(parse("attrd_updater", "--name", "pingd", "--delete").action()).isEqualTo(Action.DELETE);
  }

  @Test
  void whatCannotBeServedIsAUsageErrorNamingTheProblem() {
    List<String[]> bad = List.of(new String[] {"crm_attribute", "-v", "1"}, new String[] {"crm_attribute", "-n", "x", "-v", "1", "-D"},
        new String[] {"crm_attribute", "-n", "x", "-l", "sometimes", "-G"}, new String[] {"crm_attribute", "-n"},
        new String[] {"crm_attribute", "--bogus"}, new String[] {"crm_attribute", "-n", "x", "stray"},
        new String[] {"crm_attribute", "-t", "crm_config", "-n", "x", "-v", "1"}, new String[] {"crm_attribute", "-t", "tickets", "-G"},
        new String[] {"crm_attribute", "-n", "x", "-p", "-v", "1"}, new String[] {"attrd_updater", "-n", "x"},
        new String[] {"attrd_updater", "-U", "1"}, new String[] {"crm_attribute", "-z", "-n", "cpu", "-G"},
        new String[] {"crm_attribute", "--quiet=yes"}, new String[] {"vigil", "-G"});
    for (String[] b : bad) {
      assertThatThrownBy(() -> PacemakerAttributeArgs.parse(b[0], List.of(b).subList(1, b.length), AGENT))
          .as(String.join(" ", b)).isInstanceOf(PacemakerAttributeArgs.UsageError.class)
          .hasMessageStartingWith(b[0].equals("vigil") ? "unknown tool" : b[0] + ":");
    }
    assertThatThrownBy(() -> PacemakerAttributeArgs.parse("crm_master", List.of("-v", "1"), Map.of()))
        .hasMessageContaining("OCF_RESOURCE_INSTANCE is not set");
  }

  @Test
  void theToolPrintsAndExitsAsPacemakersDoes() {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> sent = new ArrayList<>();
    ObjectNode found = json.createObjectNode().put("ok", true);
    found.putArray("values").addObject().put("node", "n1").put("value", "5");
    ObjectNode none = json.createObjectNode().put("ok", true);
    none.putArray("values");
    var answers = new java.util.ArrayDeque<JsonNode>(List.of(json.createObjectNode().put("ok", true), found, found, none, none,
        json.createObjectNode().put("ok", false).put("error", "no quorum")));
    AgentAttributeTool.Daemon daemon = req -> {
      sent.add(req);
      return answers.removeFirst();
    };
    Out out = new Out();
    assertThat(AgentAttributeTool.run(daemon, "n1", "crm_attribute", List.of("--promotion", "-v", "5"), AGENT, out.ps, out.ps))
        .isEqualTo(AgentAttributeTool.OK);
    assertThat(sent.getLast().toString()).isEqualTo(
        "{\"op\":\"node-attribute\",\"action\":\"set\",\"scope\":\"node\",\"node\":\"n1\",\"name\":\"master-db\",\"all\":false,\"value\":\"5\"}");
    assertThat(AgentAttributeTool.run(daemon, "n1", "crm_attribute", List.of("--promotion", "-G"), AGENT, out.ps, out.ps)).isZero();
    assertThat(out.take()).isEqualTo("scope=status  name=master-db value=5\n");
    assertThat(AgentAttributeTool.run(daemon, "n1", "attrd_updater", List.of("-n", "master-db", "-Q"), AGENT, out.ps, out.ps)).isZero();
    assertThat(out.take()).isEqualTo("name=\"master-db\" host=\"n1\" value=\"5\"\n");
    assertThat(AgentAttributeTool.run(daemon, "n1", "crm_attribute", List.of("-n", "x", "-G", "-q"), AGENT, out.ps, out.ps))
        .isEqualTo(AgentAttributeTool.NO_SUCH);
    assertThat(AgentAttributeTool.run(daemon, "n1", "crm_attribute", List.of("-n", "x", "-G", "-q", "-d", "0"), AGENT, out.ps, out.ps))
        .isZero();
    out.take();
    assertThat(AgentAttributeTool.run(daemon, "n1", "crm_master", List.of("-v", "1"), AGENT, out.ps, out.ps))
        .isEqualTo(AgentAttributeTool.REFUSED);
    assertThat(out.take()).contains("no quorum");
    assertThat(AgentAttributeTool.run(daemon, "n1", "crm_master", List.of("--nope"), AGENT, out.ps, out.ps))
        .isEqualTo(AgentAttributeTool.USAGE);
    AgentAttributeTool.Daemon down = req -> {
      throw new java.io.IOException("no daemon socket at /x");
    };
    assertThat(AgentAttributeTool.run(down, "n1", "crm_master", List.of("-v", "1"), AGENT, out.ps, out.ps))
        .isEqualTo(AgentAttributeTool.NOT_CONNECTED);
  }

  @Test
  void theScriptsQuoteWhatTheyEmbedAndRefuseWhatCannotBeQuoted() {
    String s = AgentToolsDir.script("crm_master", Path.of("/var/lib/vigil/control.sock"), "n1", "/usr/bin/java", "/opt/v.jar",
        Path.of("/var/lib/vigil/agent-sbin/attribute-tool.jsa"));
    assertThat(s).startsWith("#!/bin/sh\n").contains("exec '/usr/bin/java' ")
        .contains(" -XX:+AutoCreateSharedArchive '-XX:SharedArchiveFile=/var/lib/vigil/agent-sbin/attribute-tool.jsa' ")
        .endsWith(" -cp '/opt/v.jar' io.vigil.cli.AgentAttributeTool '/var/lib/vigil/control.sock' 'n1' crm_master \"$@\"\n");
    assertThatThrownBy(() -> AgentToolsDir.quote("/tmp/it's")).hasMessageContaining("holds a quote");
  }

  private static final class Out {
    final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    final PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);

    String take() {
      String s = buf.toString(StandardCharsets.UTF_8);
      buf.reset();
      return s;
    }
  }
}
