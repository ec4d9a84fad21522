package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.Role;
import io.vigil.agents.volume.nbd.NbdExports;
import java.util.List;

/** The NBD view of one volume: found while this node is Primary, refused with the reason otherwise. */
final class PrimaryOnlyExports implements NbdExports {
  private final VolumeEngine engine;

  PrimaryOnlyExports(VolumeEngine engine) {
    this.engine = engine;
  }

  @Override
  public List<String> names() {
    return List.of(engine.settings.name());
  }

  @Override
  public Lookup open(String requested) {
    if (!requested.equals(engine.settings.name())) return new Lookup.Unknown();
    if (engine.role != Role.PRIMARY) {
      return new Lookup.Refused("volume '" + engine.settings.name() + "' is Secondary on node '" + engine.settings.node()
          + "'; only the primary exports it");
    }
    return new Lookup.Found(engine);
  }
}
