package io.vigil.exec.metadata;

import java.util.Optional;

/**
 * One agent parameter from meta-data.
 *
 * @param type content type (string, integer, boolean, ...), "string" when not given
 * @param defaultValue empty when the agent declares none
 */
public record ParameterSpec(String name, String type, boolean required, boolean unique,
    Optional<String> defaultValue, String shortDesc, String longDesc, boolean deprecated) {}
