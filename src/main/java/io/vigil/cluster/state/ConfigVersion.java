package io.vigil.cluster.state;

/**
 * One committed configuration: canonical {@code cluster.yaml} text (validated at the border before
 * it became a command), its epoch, and who changed it, when and why.
 *
 * @param timeMillis wall-clock time carried by the command that committed it (never read inside apply)
 */
public record ConfigVersion(long epoch, String yaml, String author, long timeMillis, String reason) {
  /** The state before any configuration was applied. */
  public static final ConfigVersion NONE = new ConfigVersion(0, "", "", 0, "");

  public ConfigVersion {
    if (epoch < 0) throw new IllegalArgumentException("config epoch " + epoch + " is negative");
    yaml = Sorted.text(yaml);
    author = Sorted.text(author);
    reason = Sorted.text(reason);
  }
}
