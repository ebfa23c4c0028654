package dev.rotor.manifest;

import java.util.Map;

/** One {@code verify:} entry: {@code type} is the check's key (http, command) and options the rest. */
public record CheckSpec(String type, Map<String, Object> options, Location location) {
}
