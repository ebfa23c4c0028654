package dev.rotor.manifest;

import java.util.Map;

/** {@code owner:} the system that must accept the value: a named store (connection) and its options (e.g. user). */
public record OwnerSpec(String store, Map<String, Object> options, Location location) {
}
