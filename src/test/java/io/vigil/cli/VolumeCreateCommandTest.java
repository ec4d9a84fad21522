package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.volume.VolumeEngine;
import io.vigil.agents.volume.VolumeSettings;
import io.vigil.agents.volume.meta.DiskState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VolumeCreateCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run volume(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new VolumeCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    cl.setExecutionExceptionHandler(new ErrorHandler());
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private DiskState diskOf(String node, Path backing) throws Exception {
    try (VolumeEngine e = VolumeEngine.open(VolumeSettings.defaults("mail", node, backing, 8 << 20), Clock.systemUTC(), System::nanoTime)) {
      return e.status().join().disk();
    }
  }

  @Test
  void freshCopiesOnBothNodesAreUpToDateWithoutSync() throws Exception {
    Run a = volume("create", "mail", "--size", "8M", "--nodes", "a,b", "--node", "a", "--backing", dir.resolve("a.img").toString());
    Run b = volume("create", "mail", "--size", "8M", "--nodes", "a,b", "--node", "b", "--backing", dir.resolve("b.img").toString());
    assertThat(a.exit()).as(a.err()).isZero();
    assertThat(b.exit()).as(b.err()).isZero();
    assertThat(a.out()).contains("no initial sync");
    assertThat(diskOf("a", dir.resolve("a.img"))).isEqualTo(DiskState.UP_TO_DATE);
    assertThat(diskOf("b", dir.resolve("b.img"))).isEqualTo(DiskState.UP_TO_DATE);
    assertThat(Files.size(dir.resolve("a.img"))).isEqualTo(8 << 20);
  }

  @Test
  void withoutNodeTheClusterNameOfThisNodeOrElseTheHostNameIsUsed() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    Run none = volume("create", "mail", "--size", "8M", "--nodes", "a,b", "--backing", dir.resolve("x.img").toString(),
        "--state-dir", state.toString());
    assertThat(none.exit()).isNotZero();
    assertThat(none.err()).contains("--node '" + io.vigil.exec.AgentExecutor.hostName() + "' is not one of --nodes [a, b]");
    assertThat(dir.resolve("x.img")).doesNotExist();
    new io.vigil.cluster.daemon.NodeIdentity("c1", "b", "127.0.0.1:1", null, java.util.List.of()).save(state);
    Run b = volume("create", "mail", "--size", "8M", "--nodes", "a,b", "--backing", dir.resolve("b.img").toString(),
        "--state-dir", state.toString());
    assertThat(b.exit()).as(b.err()).isZero();
    assertThat(b.out()).contains("created on node 'b'");
  }

  @Test
  void fromSeedsOneNodeAndMakesTheOtherASyncTarget() throws Exception {
    Files.write(dir.resolve("a.img"), new byte[8 << 20]);
    Run a = volume("create", "mail", "--size", "8M", "--nodes", "a,b", "--node", "a", "--from", "a", "--backing", dir.resolve("a.img").toString());
    Run b = volume("create", "mail", "--size", "8M", "--nodes", "a,b", "--node", "b", "--from", "a", "--backing", dir.resolve("b.img").toString());
    assertThat(a.exit()).as(a.err()).isZero();
    assertThat(b.exit()).as(b.err()).isZero();
    assertThat(diskOf("a", dir.resolve("a.img"))).isEqualTo(DiskState.UP_TO_DATE);
    assertThat(diskOf("b", dir.resolve("b.img"))).isEqualTo(DiskState.INCONSISTENT);
  }

  @Test
  void existingBackingWithoutFromIsRefusedAndLeftAlone() throws Exception {
    Files.writeString(dir.resolve("a.img"), "precious");
    Run a = volume("create", "mail", "--size", "8M", "--node", "a", "--backing", dir.resolve("a.img").toString());
    assertThat(a.exit()).isNotZero();
    assertThat(a.err()).contains("already exists", "--from NODE");
    assertThat(Files.readString(dir.resolve("a.img"))).isEqualTo("precious");
    assertThat(Files.exists(dir.resolve("a.img.vmeta"))).isFalse();
  }

  @Test
  void nodeOutsideTheVolumeIsRefused() {
    Run c = volume("create", "mail", "--size", "8M", "--nodes", "a,b", "--node", "c", "--backing", dir.resolve("c.img").toString());
    assertThat(c.exit()).isNotZero();
    assertThat(c.err()).contains("--node 'c' is not one of --nodes [a, b]");
  }
}
