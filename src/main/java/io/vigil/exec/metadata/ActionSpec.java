package io.vigil.exec.metadata;

import java.time.Duration;
import java.util.Optional;

/** One action an agent advertises, with its suggested timeout and interval. */
public record ActionSpec(String name, Optional<Duration> timeout, Optional<Duration> interval,
    Optional<Integer> depth, Optional<String> role) {}
