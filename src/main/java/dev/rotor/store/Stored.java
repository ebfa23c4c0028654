package dev.rotor.store;

import java.time.Instant;

/** A value read back from a store, with its version id (may be null) and last update time (may be null). */
public record Stored(String value, String version, Instant updatedAt) {
    @Override
    public String toString() {
        return "Stored[version=" + version + ", updatedAt=" + updatedAt + "]";
    }
}
