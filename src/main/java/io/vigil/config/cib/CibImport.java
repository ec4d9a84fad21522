package io.vigil.config.cib;

import io.vigil.model.ClusterConfig;
import java.util.List;

/** The result of importing a CIB: the converted configuration and every note about what was not. */
public record CibImport(ClusterConfig config, List<ImportNote> notes) {
  public CibImport {
    notes = List.copyOf(notes);
  }
}
