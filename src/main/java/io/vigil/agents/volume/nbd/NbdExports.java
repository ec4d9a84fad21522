package io.vigil.agents.volume.nbd;

import java.util.List;

/** The exports one NBD server offers; decides per name whether a client may open it. */
public interface NbdExports {
  /** Names listed by NBD_OPT_LIST. */
  List<String> names();

  /** Looks an export up by name for a client that wants to open it. */
  Lookup open(String name);

  /** Outcome of {@link #open}. */
  sealed interface Lookup {
    /** The export exists and may be served. */
    record Found(NbdExport export) implements Lookup {}

    /** The export exists but is not served here now, with a reason shown to the client. */
    record Refused(String reason) implements Lookup {}

    /** No export of that name. */
    record Unknown() implements Lookup {}
  }
}
