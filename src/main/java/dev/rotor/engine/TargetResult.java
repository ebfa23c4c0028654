package dev.rotor.engine;

import java.util.List;
import java.util.Map;

/**
 * One target's state after a run: {@code written}, {@code unchanged}, {@code behind}, {@code partial} or
 * {@code would write}; for a target fanned out to several destinations (GitHub repositories) that was only partly
 * written, exactly which destinations hold the new value and which are behind. Names only.
 */
public record TargetResult(String store, String name, Map<String, Object> scope, String status, String version,
                           List<String> destinationsWritten, List<String> destinationsBehind) {
    TargetResult(String store, String name, Map<String, Object> scope, String status, String version) {
        this(store, name, scope, status, version, List.of(), List.of());
    }
}
