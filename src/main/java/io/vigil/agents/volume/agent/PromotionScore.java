package io.vigil.agents.volume.agent;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The promotion score a copy earns from what its serve process says (as drbd's agent sets it with
 * {@code crm_master}): only an UpToDate copy gets one, higher when it is Primary or connected to its
 * peer (its data is known to be the newest) than when it is alone (the peer may be as good or better);
 * an Inconsistent, Outdated or Diskless copy, or a status that cannot be read, gets none (the
 * attribute is deleted), so the scheduler never chooses a copy the engine would refuse to promote.
 */
public final class PromotionScore {
  /** Primary, or Secondary Connected/SyncSource: UpToDate and the peer known. */
  public static final int UP_TO_DATE_CONNECTED = 10_000;
  /** UpToDate, peer not connected (Connecting or StandAlone). */
  public static final int UP_TO_DATE_ALONE = 1_000;
  private static final Pattern FIRST_LINE = Pattern.compile("role (Primary|Secondary), disk (\\w+), connection (\\w+)");

  private PromotionScore() {}

  /** The score for the first line of {@code vigil volume status} ("NAME on NODE: role R, disk D, connection C ..."). */
  public static OptionalInt of(String statusText) {
    Matcher m = FIRST_LINE.matcher(statusText);
    if (!m.find() || !m.group(2).equals("UpToDate")) return OptionalInt.empty();
    boolean peerKnown = m.group(3).equals("Connected") || m.group(3).equals("SyncSource");
    return OptionalInt.of(m.group(1).equals("Primary") || peerKnown ? UP_TO_DATE_CONNECTED : UP_TO_DATE_ALONE);
  }

  /** The attribute name: {@code master-<primitive>} (a clone instance's number dropped, as Pacemaker's crm_master does). */
  public static String attribute(String resourceId) {
    String rsc = resourceId;
    int colon = rsc.lastIndexOf(':');
    if (colon > 0 && colon < rsc.length() - 1 && rsc.substring(colon + 1).chars().allMatch(Character::isDigit)) rsc = rsc.substring(0, colon);
    return io.vigil.agents.volume.PeerFencer.promotionScore(rsc);
  }
}
