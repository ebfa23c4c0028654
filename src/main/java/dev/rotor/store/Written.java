package dev.rotor.store;

/** The outcome of one write: the version id the store returned (may be null) and whether bytes changed. */
public record Written(String version, boolean changed) {
}
