package io.vigil.cluster.state;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * A change to the replicated state. Every command carries the wall-clock time and author chosen
 * by whoever proposed it, so applying it is deterministic on every replica. Encoded by
 * {@link Codec} as versioned JSON; the {@code type} names below are part of the log format.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Command.ApplyConfig.class, name = "apply-config"),
    @JsonSubTypes.Type(value = Command.AddMember.class, name = "add-member"),
    @JsonSubTypes.Type(value = Command.SetMemberState.class, name = "set-member-state"),
    @JsonSubTypes.Type(value = Command.RemoveMember.class, name = "remove-member"),
    @JsonSubTypes.Type(value = Command.SetNodeState.class, name = "set-node-state"),
    @JsonSubTypes.Type(value = Command.SetNodeAttribute.class, name = "set-node-attribute"),
    @JsonSubTypes.Type(value = Command.RecordOperation.class, name = "record-operation"),
    @JsonSubTypes.Type(value = Command.ClearFailures.class, name = "clear-failures"),
    @JsonSubTypes.Type(value = Command.StartTransition.class, name = "start-transition"),
    @JsonSubTypes.Type(value = Command.ReportProgress.class, name = "report-progress"),
    @JsonSubTypes.Type(value = Command.PauseFencing.class, name = "pause-fencing"),
    @JsonSubTypes.Type(value = Command.ResumeFencing.class, name = "resume-fencing"),
    @JsonSubTypes.Type(value = Command.RecordFencing.class, name = "record-fencing"),
    @JsonSubTypes.Type(value = Command.AddJoinToken.class, name = "add-join-token"),
    @JsonSubTypes.Type(value = Command.UseJoinToken.class, name = "use-join-token"),
    @JsonSubTypes.Type(value = Command.SetHistoryCap.class, name = "set-history-cap"),
    @JsonSubTypes.Type(value = Command.CleanupResource.class, name = "cleanup-resource"),
    @JsonSubTypes.Type(value = Command.Batch.class, name = "batch"),
    @JsonSubTypes.Type(value = Command.RecordAgentEvent.class, name = "record-agent-event"),
    @JsonSubTypes.Type(value = Command.RecordDeviceHealth.class, name = "record-device-health"),
})
public sealed interface Command {
  /** Wall-clock milliseconds chosen by the proposer. */
  long timeMillis();

  /** Who asked: an operator ("root@host"), or a node ("node:alpha") for automatic changes. */
  String author();

  /** Replace the configuration if the current epoch is still {@code expectedEpoch}. */
  record ApplyConfig(long expectedEpoch, String yaml, String reason, String author, long timeMillis) implements Command {
    public ApplyConfig {
      Objects.requireNonNull(yaml, "yaml");
    }
  }

  /** Record a new member of the Raft group (the Raft reconfiguration itself is done by the driver). */
  record AddMember(String name, String address, Member.Role role, String author, long timeMillis) implements Command {
    public AddMember {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(role, "role");
    }
  }

  /** Move a member along ENROLLED -> JOINED -> LEAVING, or change its role. */
  record SetMemberState(String name, Member.JoinState joinState, Member.Role role, String author, long timeMillis)
      implements Command {
    public SetMemberState {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(joinState, "joinState");
      Objects.requireNonNull(role, "role");
    }
  }

  /** Forget a member. */
  record RemoveMember(String name, String author, long timeMillis) implements Command {
    public RemoveMember {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Move a node to a state (see {@link NodeState}'s table). */
  record SetNodeState(String node, NodeState state, String reason, String author, long timeMillis) implements Command {
    public SetNodeState {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(state, "state");
    }
  }

  /** Set (value non-null) or delete (value null) a transient node attribute. */
  record SetNodeAttribute(String node, String name, String value, String author, long timeMillis) implements Command {
    public SetNodeAttribute {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(name, "name");
    }
  }

  /** Record an executor result; a failed one raises the fail count and is a FAILURE event. */
  record RecordOperation(OpResult result, String author, long timeMillis) implements Command {
    public RecordOperation {
      Objects.requireNonNull(result, "result");
    }
  }

  /** Reset fail counts of a resource on one node (node non-empty) or on every node. */
  record ClearFailures(String resource, String node, String author, long timeMillis) implements Command {
    public ClearFailures {
      Objects.requireNonNull(resource, "resource");
    }
  }

  /** Record the coordinator's new transition; refused if it was computed against another epoch. */
  record StartTransition(Transition transition, String author, long timeMillis) implements Command {
    public StartTransition {
      Objects.requireNonNull(transition, "transition");
    }
  }

  /** Record the progress of one action of the current transition. */
  record ReportProgress(String transitionId, Transition.ActionProgress progress, String author, long timeMillis)
      implements Command {
    public ReportProgress {
      Objects.requireNonNull(transitionId, "transitionId");
      Objects.requireNonNull(progress, "progress");
    }
  }

  /** Pause fencing of one node (node non-empty) or of all nodes until a time. */
  record PauseFencing(String id, String node, long untilMillis, String reason, String author, long timeMillis)
      implements Command {
    public PauseFencing {
      Objects.requireNonNull(id, "id");
    }
  }

  /** End pauses early: the one with {@code id}, or all when id is empty. */
  record ResumeFencing(String id, String author, long timeMillis) implements Command {}

  /** Record a fencing attempt; success marks the target FENCED. */
  record RecordFencing(String target, String device, String action, boolean success, long durationMillis,
      String reason, String author, long timeMillis) implements Command {
    public RecordFencing {
      Objects.requireNonNull(target, "target");
    }
  }

  /** Store a join token's hash (the secret never enters the log). */
  record AddJoinToken(JoinToken token, String author, long timeMillis) implements Command {
    public AddJoinToken {
      Objects.requireNonNull(token, "token");
    }
  }

  /** Consume a join token once: accepted only if the hash matches and it has not expired at timeMillis. */
  record UseJoinToken(String tokenId, String secretSha256, String node, String author, long timeMillis)
      implements Command {
    public UseJoinToken {
      Objects.requireNonNull(tokenId, "tokenId");
      Objects.requireNonNull(secretSha256, "secretSha256");
      Objects.requireNonNull(node, "node");
    }
  }

  /** Change how many events the history keeps. */
  record SetHistoryCap(int cap, String author, long timeMillis) implements Command {}

  /**
   * {@code vigil resource cleanup}: reset the fail counts and forget the operation history of the
   * given primitives (and their clone instances {@code id:N}) on one node (node non-empty) or on
   * every node, so the coordinator probes them again before deciding anything about them.
   */
  record CleanupResource(java.util.List<String> resources, String node, String author, long timeMillis) implements Command {
    public CleanupResource {
      resources = java.util.List.copyOf(resources);
    }
  }

  /**
   * Several commands in one log entry, applied in order, each on its own terms (one refused does
   * not undo the others): a node reports an operation's result and its action's progress in one
   * Raft round trip instead of two. Only reports go in a batch (operation results, progress,
   * fencing records, node states and attributes) and the leader's plan made from them (a node's
   * LOST mark and the plan that fences it): configuration, membership and tokens never do, and
   * batches do not nest. A plan is premised on what comes before it in the batch: it is recorded
   * only if every command before it was.
   */
  record Batch(java.util.List<Command> commands, String author, long timeMillis) implements Command {
    public Batch {
      commands = java.util.List.copyOf(Objects.requireNonNull(commands, "commands"));
      if (commands.isEmpty()) throw new IllegalArgumentException("a batch needs at least one command");
      for (Command c : commands) {
        if (c instanceof Batch) throw new IllegalArgumentException("batches do not nest");
        boolean report = c instanceof RecordOperation || c instanceof ReportProgress || c instanceof RecordFencing
            || c instanceof SetNodeState || c instanceof SetNodeAttribute || c instanceof StartTransition;
        if (!report) throw new IllegalArgumentException("a batch holds only reports and plans, not " + c.getClass().getSimpleName());
      }
    }
  }

  /**
   * Record in the history what a built-in agent running on {@code node} observed, e.g. a balancer's
   * real server failing its checks; changes nothing else. Text longer than {@link #MAX_TEXT} is refused.
   */
  record RecordAgentEvent(String node, String resource, String text, String author, long timeMillis) implements Command {
    /** Longest text accepted, in characters. */
    public static final int MAX_TEXT = 2000;

    public RecordAgentEvent {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(text, "text");
      if (text.length() > MAX_TEXT) throw new IllegalArgumentException("agent event text of " + text.length() + " characters, expected <= " + MAX_TEXT);
    }
  }

  /**
   * The leader's recurring monitor of fence device {@code device} passed ({@code ok}) or failed
   * {@code failures} times in a row; proposed only when that changes, recorded in history when ok flips.
   */
  record RecordDeviceHealth(String device, boolean ok, int failures, String message, String node, String author,
      long timeMillis) implements Command {
    public RecordDeviceHealth {
      Objects.requireNonNull(device, "device");
    }
  }
}
