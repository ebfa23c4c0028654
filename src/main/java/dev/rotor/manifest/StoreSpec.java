package dev.rotor.manifest;

import java.util.Map;

/** A named connection: {@code type} picks the provider, {@code settings} are all other keys (templates allowed). */
public record StoreSpec(String name, String type, Map<String, Object> settings, Location location) {
}
