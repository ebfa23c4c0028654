package dev.rotor.manifest;

import java.util.Map;

/** A named environment; {@code vars} values may reference other vars and {@code ${env:NAME}}. */
public record EnvironmentSpec(String name, Map<String, String> vars, Location location) {
    /** The environment of a manifest that declares none: {@code ${env}} renders empty. */
    public static final EnvironmentSpec NONE = new EnvironmentSpec("", Map.of(), Location.UNKNOWN);
}
