package io.vigil.cluster.raft;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;

/**
 * Every Ratis setting Vigil changes, in one place, with typed defaults and why. Election timeouts
 * are tuned so a dead leader is replaced well within a 1 s node-timeout: followers wait
 * 300..600 ms without heartbeat (the leader sends one every ~150 ms) before electing a new one.
 *
 * @param electionTimeoutMin shortest wait for a heartbeat before a follower starts an election
 * @param electionTimeoutMax longest such wait (randomised in between to avoid split votes)
 * @param requestTimeout how long a client request may wait for the leader to commit it
 * @param leaderStepDownWait a leader that hears from no majority for this long steps down
 * @param snapshotThreshold take a snapshot after this many applied entries
 * @param snapshotsKept snapshot files kept in the state directory
 * @param stagingTimeout how long a joining member may take to answer while it catches up before
 *     the membership change is given up (Ratis' default, 3 x the election timeout max = 1.8 s, is
 *     shorter than a JVM's start on a loaded machine: the join then failed and stayed refused)
 */
public record VigilRaftConfig(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration requestTimeout,
    Duration leaderStepDownWait,
    long snapshotThreshold,
    int snapshotsKept,
    Duration stagingTimeout) {

  /** Defaults for the default node-timeout (500 ms). */
  public static final VigilRaftConfig DEFAULTS = new VigilRaftConfig(
      Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(3), Duration.ofSeconds(1), 1_000, 2,
      Duration.ofSeconds(15));

  public VigilRaftConfig {
    require(electionTimeoutMin.toMillis() >= 50, "electionTimeoutMin " + electionTimeoutMin + " must be >= 50ms");
    require(electionTimeoutMax.compareTo(electionTimeoutMin) > 0,
        "electionTimeoutMax " + electionTimeoutMax + " must exceed electionTimeoutMin " + electionTimeoutMin);
    require(requestTimeout.compareTo(electionTimeoutMax) > 0, "requestTimeout " + requestTimeout + " must exceed electionTimeoutMax");
    require(!leaderStepDownWait.isNegative() && !leaderStepDownWait.isZero(), "leaderStepDownWait must be positive");
    require(snapshotThreshold >= 1, "snapshotThreshold " + snapshotThreshold + " must be >= 1");
    require(snapshotsKept >= 1, "snapshotsKept " + snapshotsKept + " must be >= 1");
    require(stagingTimeout.compareTo(electionTimeoutMax) > 0, "stagingTimeout " + stagingTimeout + " must exceed electionTimeoutMax");
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException("raft config: " + message);
  }

  /** Writes these settings into Ratis properties. */
  public void applyTo(RaftProperties p) {
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, td(electionTimeoutMin));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, td(electionTimeoutMax));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, td(electionTimeoutMin));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, td(electionTimeoutMax));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, td(requestTimeout));
    RaftServerConfigKeys.Rpc.setSlownessTimeout(p, td(requestTimeout.multipliedBy(10)));
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, td(leaderStepDownWait));
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
    RaftServerConfigKeys.setStagingTimeout(p, td(stagingTimeout));
    // Reads through the leader confirm its leadership with a quorum (ReadIndex); the default
    // would answer from a deposed leader that has not noticed yet.
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setTimeout(p, td(requestTimeout));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotThreshold);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, snapshotsKept);
  }

  /** The settings by name, for {@code vigil status --json} and docs. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("election-timeout-min", electionTimeoutMin.toMillis() + "ms");
    m.put("election-timeout-max", electionTimeoutMax.toMillis() + "ms");
    m.put("request-timeout", requestTimeout.toMillis() + "ms");
    m.put("leader-step-down-wait", leaderStepDownWait.toMillis() + "ms");
    m.put("read-option", "LINEARIZABLE");
    m.put("snapshot-threshold", Long.toString(snapshotThreshold));
    m.put("snapshots-kept", Integer.toString(snapshotsKept));
    m.put("staging-timeout", stagingTimeout.toMillis() + "ms");
    return m;
  }

  private static TimeDuration td(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
  }
}
