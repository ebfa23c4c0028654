package dev.rotor.engine;

import java.util.Map;

/** One target's state after a run: {@code written}, {@code unchanged}, {@code behind}, {@code planned}; names only. */
public record TargetResult(String store, String name, Map<String, Object> scope, String status, String version) {
}
