package io.vigil.agents.volume.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.vigil.agents.volume.testing.Proc;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NBD server against Debian's real clients: libnbd's nbdinfo/nbdcopy/nbdsh and qemu-io. */
class NbdRealClientsTest {
  @TempDir Path dir;
  private EventLoopGroup group;
  private NbdServer server;
  private final MemoryExport export = new MemoryExport("mail", 8 << 20);
  private String uri;

  @BeforeEach
  void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    server = new NbdServer(group, export);
    Path sock = dir.resolve("nbd.sock");
    server.bindUnix(sock);
    uri = "nbd+unix:///mail?socket=" + sock;
  }

  @AfterEach
  void stop() {
    server.close();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void nbdinfoSeesNameSizeAndFlags() {
    String out = Proc.ok(30, "nbdinfo", "--json", uri).output();
    assertThat(out).contains("\"export-size\": 8388608").contains("\"can_flush\": true").contains("\"can_fua\": true")
        .contains("\"can_trim\": true").contains("\"can_zero\": true").contains("\"is_read_only\": false");
    assertThat(Proc.ok(30, "nbdinfo", "--list", "nbd+unix://?socket=" + dir.resolve("nbd.sock")).output()).contains("mail");
  }

  @Test
  void nbdinfoForAnUnknownExportFailsCleanly() {
    Proc.Result r = Proc.run(30, "nbdinfo", "nbd+unix:///nope?socket=" + dir.resolve("nbd.sock"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("nope");
  }

  @Test
  void refusedExportReachesTheClientWithItsReason() {
    export.refusal = "volume 'mail' is Secondary on this node; only the primary exports it";
    // libnbd prints the server's error text only in its debug log.
    Proc.Result r = Proc.run(java.util.Map.of("LIBNBD_DEBUG", "1"), 30, "nbdinfo", uri);
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("Operation not supported").contains("Secondary on this node");
  }

  @Test
  void nbdcopyRoundTripsRandomDataBothWays() throws Exception {
    byte[] data = new byte[8 << 20];
    new Random(7).nextBytes(data);
    Path in = Files.write(dir.resolve("in.img"), data);
    Proc.ok(60, "nbdcopy", in.toString(), uri);
    assertThat(Arrays.equals(export.data, data)).isTrue();
    Path out = dir.resolve("out.img");
    Proc.ok(60, "nbdcopy", uri, out.toString());
    assertThat(Files.readAllBytes(out)).isEqualTo(data);
  }

  @Test
  void qemuIoWritesVerifiesZeroesAndFlushes() {
    Proc.ok(60, "qemu-io", "-f", "raw", uri,
        "-c", "write -P 0xab 0 1M", "-c", "write -f -P 0xcd 1M 64k", "-c", "write -z 4096 4096", "-c", "flush",
        "-c", "read -P 0xab 0 4096", "-c", "read -P 0 4096 4096", "-c", "read -P 0xcd 1M 64k", "-c", "discard 2M 64k");
    assertThat(export.data[0]).isEqualTo((byte) 0xab);
    assertThat(export.data[5000]).isZero();
    assertThat(export.data[(1 << 20) + 10]).isEqualTo((byte) 0xcd);
    assertThat(export.flushes).isPositive();
    Proc.Result bad = Proc.run(30, "qemu-io", "-f", "raw", uri, "-c", "read -P 0x11 0 4096");
    assertThat(bad.output()).contains("Pattern verification failed");
  }

  @Test
  void nbdshGetsErrorsForOutOfRangeRequestsAndKeepsServing() {
    String script = String.join("\n",
        "import errno",
        "h.set_export_name('mail')",
        "h.set_strict_mode(0)  # let the request reach the server instead of libnbd's own range check",
        "h.connect_uri('" + uri + "')",
        "try:",
        "    h.pread(512, 8388608 - 100)",
        "    raise SystemExit('read past end succeeded')",
        "except nbd.Error as e:",
        "    print('read past end ->', e.string)",
        "h.pwrite(b'x' * 512, 0, nbd.CMD_FLAG_FUA)",
        "assert h.pread(512, 0) == b'x' * 512",
        "h.flush()",
        "h.shutdown()",
        "print('ok')");
    Path py = dir.resolve("t.py");
    try {
      Files.writeString(py, script);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    String out = Proc.ok(30, "/usr/bin/python3", "-m", "nbd", "-c", "exec(open('" + py + "').read())").output();
    assertThat(out).contains("read past end -> nbd_pread: read: command failed: Invalid argument").contains("ok");
  }

  @Test
  void servesOverTcpOnLoopbackToo() throws Exception {
    InetSocketAddress a = server.bindTcp(new InetSocketAddress("127.0.0.1", 0));
    String out = Proc.ok(30, "nbdinfo", "nbd://127.0.0.1:" + a.getPort() + "/mail").output();
    assertThat(out).contains("8388608");
  }
}
