package io.vigil.agents.ip;

import io.vigil.model.Durations;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@code ip} resource type for one address: start, stop, monitor and announce,
 * each returning an OCF code and a message. Decisions come from {@link Ownership} and
 * {@link Addresses}; this class only sequences the iproute2/arping/send_ua calls.
 *
 * <p>start: list addresses; refuse if the address sits on another interface here; if it is ours
 * re-announce; if it is someone else's leave it (stop will not remove it); else ARP-probe (IPv4),
 * record ownership, add, wait for DAD (IPv6), announce. A planned move calls {@link #precheck}
 * while the old holder still answers and then {@link #startPrechecked}, which skips the probe.
 */
public final class FloatingAddressAgent implements AddressHolder {
  private static final Logger LOG = LoggerFactory.getLogger(FloatingAddressAgent.class);
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DAD_POLL = Duration.ofMillis(50);

  private final IpParams params;
  private final ProcessRunner runner;
  private final OwnershipStore owners;
  private final Tools tools;
  private final NeighbourAnnouncer announcer;
  private final LongSupplier nanoTicker;
  private final Sleeper sleeper;

  public FloatingAddressAgent(IpParams params, ProcessRunner runner, OwnershipStore owners,
      Tools tools, LongSupplier nanoTicker, Sleeper sleeper) {
    this.params = params;
    this.runner = runner;
    this.owners = owners;
    this.tools = tools;
    this.announcer = new NeighbourAnnouncer(runner, tools);
    this.nanoTicker = nanoTicker;
    this.sleeper = sleeper;
  }

  /** An agent on this machine's real tools, with ownership records in the params' state-dir. */
  public static FloatingAddressAgent onThisHost(IpParams params) {
    return new FloatingAddressAgent(params, new SystemProcessRunner(),
        new FileOwnershipStore(params.stateDir(), java.time.InstantSource.system()), Tools.locate(),
        System::nanoTime, Sleeper.SYSTEM);
  }

  public IpParams params() {
    return params;
  }

  /** Adds and announces the address (see class doc); idempotent. */
  @Override
  public AgentResult start() {
    return start(false);
  }

  @Override
  public AgentResult startPrechecked() {
    return start(true);
  }

  /**
   * Probes while the current holder still has the address; answers from MACs other than
   * {@code currentMacs} are a conflict. IPv4: ARP probe; IPv6: neighbour solicitation with
   * ndisc6, after which the target adds with nodad. Without ndisc6, or on lo: 3 (DAD at add).
   */
  @Override
  public AgentResult precheck(java.util.Set<String> currentMacs) {
    if ("lo".equals(params.device()) || !params.probe() || currentMacs.isEmpty()
        || (!params.isIpv4() && !announcer.canSolicitIpv6())) {
      return new AgentResult(AgentResult.OCF_ERR_UNIMPLEMENTED, "no pre-check for " + params.describe());
    }
    return guarded("pre-check", () -> {
      announcer.requireTools(params);
      if (list().link(params.device()).isEmpty()) {
        return AgentResult.failed(AgentResult.OCF_ERR_INSTALLED, "interface " + params.device() + " does not exist");
      }
      List<String> others = announcer.whoAnswers(params).stream()
          .filter(m -> !currentMacs.contains(m.toLowerCase(java.util.Locale.ROOT))).toList();
      if (!others.isEmpty()) {
        return AgentResult.failed(AgentResult.OCF_ERR_GENERIC, Addresses.text(params.address())
            + " is also answered by MAC " + String.join(", ", others) + ", not only by its current holder");
      }
      return AgentResult.success("only the current holder answers for " + Addresses.text(params.address()));
    });
  }

  /** MAC of this holder's interface (empty on lo or when it cannot be read). */
  @Override
  public java.util.Set<String> ownMacs() {
    try {
      return list().link(params.device()).flatMap(AddressListing.Link::mac)
          .map(m -> java.util.Set.of(m.toLowerCase(java.util.Locale.ROOT))).orElse(java.util.Set.of());
    } catch (IOException | RuntimeException e) {
      return java.util.Set.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Set.of();
    }
  }

  private AgentResult start(boolean prechecked) {
    return guarded("start", () -> {
      params.notes().forEach(n -> LOG.info("{}: {}", params.describe(), n));
      announcer.requireTools(params);
      AddressListing listing = list();
      if (listing.link(params.device()).isEmpty()) {
        return AgentResult.failed(AgentResult.OCF_ERR_INSTALLED, "interface " + params.device()
            + " does not exist" + params.netns().map(n -> " in netns " + n).orElse(""));
      }
      Optional<AgentResult> conflict = elsewhere(listing);
      if (conflict.isPresent()) {
        return conflict.get();
      }
      Optional<AddressListing.Entry> existing = listing.on(params.device(), params.address());
      if (existing.isPresent() && existing.get().dadFailed()) {
        return AgentResult.failed(AgentResult.OCF_ERR_GENERIC, params.describe()
            + " is configured but failed duplicate address detection: another host uses it");
      }
      boolean present = existing.isPresent();
      switch (Ownership.onStart(present, owners.isRecorded(params.key()))) {
        case ALREADY_OURS -> {
          announcer.announceInBackground(params);
          return AgentResult.success(params.describe() + " already running (added by Vigil)");
        }
        case PRESENT_NOT_OURS -> {
          LOG.warn("{}: already configured, not by Vigil; stop will leave it in place", params.describe());
          return AgentResult.success(params.describe()
              + " was already configured (not added by Vigil); stop will not remove it");
        }
        case ADD -> {
          return add(prechecked);
        }
      }
      throw new AssertionError("unreachable");
    });
  }

  /** Removes the address if Vigil added it; never touches an address someone else configured. */
  @Override
  public AgentResult stop() {
    return guarded("stop", () -> {
      AddressListing listing = list();
      Optional<AddressListing.Entry> entry = listing.on(params.device(), params.address());
      switch (Ownership.onStop(entry.isPresent(), owners.isRecorded(params.key()))) {
        case REMOVE -> {
          ProcessRunner.Output out = ip(IpCommands.delete(tools.ip(), params, entry.get().prefix()));
          if (out.exitCode() != 0) {
            return AgentResult.failed(AgentResult.OCF_ERR_GENERIC,
                "could not remove " + params.describe() + ": " + out.diagnostic());
          }
          owners.forget(params.key());
          return AgentResult.success("removed " + params.describe());
        }
        case LEAVE_NOT_OURS -> {
          LOG.warn("{}: not added by Vigil, left in place", params.describe());
          return AgentResult.success(params.describe() + " left in place: it was not added by Vigil");
        }
        case ALREADY_ABSENT -> {
          owners.forget(params.key());
          return AgentResult.success(params.describe() + " already absent");
        }
      }
      throw new AssertionError("unreachable");
    });
  }

  /** 0 when the address is configured (and not a failed duplicate), 7 when absent. */
  @Override
  public AgentResult monitor() {
    return guarded("monitor", () -> {
      AddressListing listing = list();
      if (listing.link(params.device()).isEmpty()) {
        return AgentResult.notRunning("interface " + params.device() + " does not exist");
      }
      Optional<AddressListing.Entry> e = listing.on(params.device(), params.address());
      if (e.isEmpty()) {
        return AgentResult.notRunning(params.describe() + " is not configured");
      }
      if (e.get().dadFailed()) {
        return AgentResult.failed(AgentResult.OCF_ERR_GENERIC,
            params.describe() + " failed duplicate address detection: another host uses it");
      }
      return AgentResult.success(params.describe() + " is configured");
    });
  }

  /** Sends the announcements again (e.g. `vigil ip announce`); requires the address present. */
  public AgentResult announce() {
    return guarded("announce", () -> {
      if (list().on(params.device(), params.address()).isEmpty()) {
        return AgentResult.notRunning(params.describe() + " is not configured; nothing to announce");
      }
      announcer.requireTools(params);
      announcer.announce(params);
      return AgentResult.success("announced " + params.describe() + " " + params.announceCount() + " time(s)");
    });
  }

  private AgentResult add(boolean prechecked) throws IOException, InterruptedException {
    boolean lo = "lo".equals(params.device());
    if (!lo && params.probe() && params.isIpv4() && !prechecked) {
      ArpingFlavor.ProbeResult probe = announcer.probe(params);
      if (probe.answered()) {
        return AgentResult.failed(AgentResult.OCF_ERR_GENERIC, "refusing to add " + params.describe()
            + ": another host answers ARP for it"
            + (probe.macs().isEmpty() ? "" : " (MAC " + String.join(", ", probe.macs()) + ")"));
      }
    }
    owners.record(params.key(), params.describe());
    ProcessRunner.Output out = ip(IpCommands.add(tools.ip(), params, prechecked));
    if (out.exitCode() != 0) {
      owners.forget(params.key());
      return AgentResult.failed(AgentResult.OCF_ERR_GENERIC,
          "could not add " + params.describe() + ": " + out.diagnostic());
    }
    if (!params.isIpv4() && !lo && params.probe() && !prechecked) {
      Optional<String> dadProblem = awaitDad();
      if (dadProblem.isPresent()) {
        ip(IpCommands.delete(tools.ip(), params, params.prefix()));
        owners.forget(params.key());
        return AgentResult.failed(AgentResult.OCF_ERR_GENERIC,
            "refusing " + params.describe() + ": " + dadProblem.get() + "; address removed again");
      }
    }
    try {
      announcer.announceInBackground(params);
    } catch (IOException | IllegalStateException e) {
      return AgentResult.failed(AgentResult.OCF_ERR_GENERIC,
          "added " + params.describe() + " but could not announce it: " + e.getMessage());
    }
    String note = params.notes().isEmpty() ? "" : " (" + String.join("; ", params.notes()) + ")";
    return AgentResult.success("added " + params.describe()
        + (lo || params.announceCount() == 0 ? "" : ", announced " + params.announceCount() + " time(s)")
        + note);
  }

  /** Waits until the kernel clears "tentative"; empty when DAD passed, else why it did not. */
  private Optional<String> awaitDad() throws IOException, InterruptedException {
    long deadline = nanoTicker.getAsLong() + params.dadTimeout().toNanos();
    while (true) {
      Optional<AddressListing.Entry> e = list().on(params.device(), params.address());
      if (e.isEmpty()) {
        return Optional.of("the address vanished during duplicate address detection");
      }
      if (e.get().dadFailed()) {
        return Optional.of("duplicate address detection failed: another host uses it");
      }
      if (!e.get().tentative()) {
        return Optional.empty();
      }
      if (nanoTicker.getAsLong() - deadline >= 0) {
        return Optional.of("duplicate address detection did not finish within "
            + Durations.format(params.dadTimeout()));
      }
      sleeper.sleep(DAD_POLL);
    }
  }

  private Optional<AgentResult> elsewhere(AddressListing listing) {
    return listing.find(params.address()).stream()
        .filter(f -> !f.link().name().equals(params.device()))
        .findFirst()
        .map(f -> AgentResult.failed(AgentResult.OCF_ERR_GENERIC, "refusing to add " + params.describe()
            + ": " + Addresses.text(params.address()) + " is already configured on interface "
            + f.link().name() + " of this host"));
  }

  private AddressListing list() throws IOException, InterruptedException {
    ProcessRunner.Output out = ip(IpCommands.listAddresses(tools.ip(), params.netns()));
    if (out.exitCode() != 0) {
      throw new IOException("ip addr show failed" + params.netns().map(n -> " in netns " + n).orElse("")
          + ": " + out.diagnostic());
    }
    return AddressListing.parse(out.stdout());
  }

  private ProcessRunner.Output ip(List<String> argv) throws IOException, InterruptedException {
    LOG.debug("run {}", argv);
    return runner.run(argv, IP_TIMEOUT);
  }

  private interface Action {
    AgentResult run() throws IOException, InterruptedException;
  }

  private AgentResult guarded(String action, Action a) {
    try {
      return a.run();
    } catch (NeighbourAnnouncer.MissingToolException e) {
      return AgentResult.failed(AgentResult.OCF_ERR_INSTALLED, action + " " + params.describe() + ": " + e.getMessage());
    } catch (IOException | IllegalStateException | IllegalArgumentException e) {
      return AgentResult.failed(AgentResult.OCF_ERR_GENERIC, action + " " + params.describe() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AgentResult.failed(AgentResult.OCF_ERR_GENERIC, action + " " + params.describe() + ": interrupted");
    }
  }
}
