package dev.rotor.manifest;

/**
 * A problem a provider, generator or check finds in its own part of the manifest: {@code key} is relative to the
 * map it was given (e.g. {@code mode}), or null for the map itself. The validator adds file:line:col.
 */
public record KeyProblem(String key, String message, String suggestion) {
}
