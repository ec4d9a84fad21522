package io.vigil.agents.volume.sync;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.GenerationIds;
import io.vigil.agents.volume.meta.Role;

/**
 * What one node says about its copy when two copies meet.
 *
 * @param crashedPrimary the node was Primary when it last stopped without demoting (its activity log was merged into its bitmap)
 * @param dirtyRegions regions changed since the bitmap generation (the "changes" split-brain policies count)
 * @param resolveKeep node named by a manual {@code resolve --keep}, or ""
 */
public record CopyView(String node, Role role, DiskState disk, GenerationIds gens, boolean crashedPrimary,
    int dirtyRegions, String resolveKeep) {}
