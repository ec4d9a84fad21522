package io.vigil.agents.ip;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Talks to the neighbours about an address: ARP probe before adding (IPv4) and unsolicited ARP
 * (arping -U) or unsolicited neighbour advertisements (resource-agents' send_ua) after adding.
 */
public final class NeighbourAnnouncer {
  private static final Duration SLACK = Duration.ofSeconds(5);

  private final ProcessRunner runner;
  private final Tools tools;
  private volatile ArpingFlavor flavor;

  public NeighbourAnnouncer(ProcessRunner runner, Tools tools) {
    this.runner = runner;
    this.tools = tools;
  }

  /** Fails with OCF "not installed" wording when a tool the parameters need is missing. */
  public void requireTools(IpParams p) throws IOException, InterruptedException {
    boolean lo = "lo".equals(p.device());
    if (lo) {
      return; // nothing is probed or announced on loopback
    }
    if (p.isIpv4() && (p.probe() || p.announceCount() > 0)) {
      arpingFlavor();
    }
    if (!p.isIpv4() && p.announceCount() > 0 && tools.sendUa().isEmpty()) {
      throw new MissingToolException("send_ua not found (Debian package resource-agents, "
          + "/usr/libexec/heartbeat/send_ua); needed to announce " + Addresses.text(p.address())
          + "; install it or set announce-count=0");
    }
  }

  /** Asks who has the IPv4 address (sender 0.0.0.0); answered = another host uses it. */
  public ArpingFlavor.ProbeResult probe(IpParams p) throws IOException, InterruptedException {
    ArpingFlavor f = arpingFlavor();
    List<String> argv = IpCommands.inNetns(tools.ip(), p.netns(),
        f.probeArgv(tools.arping().orElseThrow(), p.device(), Addresses.text(p.address()), p.probeTimeout()));
    return f.readProbe(runner.run(argv, p.probeTimeout().plus(SLACK)));
  }

  /** True when {@link #whoAnswers} can solicit IPv6 neighbours (ndisc6 installed). */
  public boolean canSolicitIpv6() {
    return tools.ndisc6().isPresent();
  }

  /** MACs answering for the address now: ARP probe (IPv4) or neighbour solicitation (IPv6). */
  public List<String> whoAnswers(IpParams p) throws IOException, InterruptedException {
    if (p.isIpv4()) {
      return probe(p).macs();
    }
    List<String> argv = IpCommands.inNetns(tools.ip(), p.netns(), Ndisc6.argv(tools.ndisc6().orElseThrow(),
        p.device(), Addresses.text(p.address()), p.probeTimeout()));
    return Ndisc6.answers(runner.run(argv, p.probeTimeout().plus(SLACK)));
  }

  /** Sends announce-count announcements, the first at once; blocks until the last is sent. */
  public void announce(IpParams p) throws IOException, InterruptedException {
    if (p.announceCount() == 0 || "lo".equals(p.device())) {
      return;
    }
    Duration budget = p.announceInterval().multipliedBy(p.announceCount()).plus(SLACK);
    if (p.isIpv4()) {
      ArpingFlavor f = arpingFlavor();
      List<String> argv = IpCommands.inNetns(tools.ip(), p.netns(), f.announceArgv(
          tools.arping().orElseThrow(), p.device(), Addresses.text(p.address()),
          p.announceCount(), p.announceInterval()));
      f.checkAnnounce(runner.run(argv, budget));
    } else {
      List<String> argv = IpCommands.inNetns(tools.ip(), p.netns(),
          IpCommands.sendUa(tools.sendUa().orElseThrow(), p));
      ProcessRunner.Output out = runner.run(argv, budget);
      // send_ua exits 0 even when it failed; its errors start with "ERROR".
      if (out.exitCode() != 0 || (out.stderr() + out.stdout()).contains("ERROR")) {
        throw new IOException("send_ua could not announce " + Addresses.text(p.address()) + " on "
            + p.device() + ": " + out.diagnostic());
      }
    }
  }

  /**
   * What start uses: IPv4 announcements go out from a detached arping, the first at once, so the
   * action does not wait count x interval for them (IPaddr2 sends its ARPs in the background too);
   * a failure to send is not seen here (`vigil ip announce` checks). IPv6 blocks as {@link #announce}.
   */
  public void announceInBackground(IpParams p) throws IOException, InterruptedException {
    if (!p.isIpv4() || p.announceCount() == 0 || "lo".equals(p.device())) {
      announce(p);
      return;
    }
    ArpingFlavor f = arpingFlavor();
    runner.spawn(IpCommands.inNetns(tools.ip(), p.netns(), f.announceArgv(tools.arping().orElseThrow(), p.device(),
        Addresses.text(p.address()), p.announceCount(), p.announceInterval())),
        p.announceInterval().multipliedBy(p.announceCount()).plus(SLACK));
  }

  private ArpingFlavor arpingFlavor() throws IOException, InterruptedException {
    ArpingFlavor f = flavor;
    if (f != null) {
      return f;
    }
    if (tools.arping().isEmpty()) {
      throw new MissingToolException("arping not found (Debian package arping or iputils-arping); "
          + "needed for the ARP probe and unsolicited ARP; install it or set probe=false and announce-count=0");
    }
    ProcessRunner.Output out = runner.run(List.of(tools.arping().get(), "--help"), Duration.ofSeconds(5));
    String text = out.stdout() + out.stderr();
    if (!text.toLowerCase(java.util.Locale.ROOT).contains("habets")) {
      text = text + runner.run(List.of(tools.arping().get(), "-V"), Duration.ofSeconds(5)).stdout();
    }
    try {
      f = ArpingFlavor.fromHelp(text);
    } catch (IllegalArgumentException e) {
      throw new MissingToolException(e.getMessage());
    }
    flavor = f;
    return f;
  }

  /** A program the parameters need is not installed on this node (OCF rc 5). */
  public static final class MissingToolException extends IOException {
    public MissingToolException(String message) {
      super(message);
    }
  }
}
