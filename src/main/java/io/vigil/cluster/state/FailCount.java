package io.vigil.cluster.state;

/** Failures of a resource on a node since the last cleanup, and the most recent one. */
public record FailCount(String resource, String node, int count, long lastFailureMillis, int lastRc, String lastOperation) {
  public FailCount {
    lastOperation = Sorted.text(lastOperation);
  }

  /** The key resource/node. */
  public static String key(String resource, String node) {
    return resource + "/" + node;
  }
}
