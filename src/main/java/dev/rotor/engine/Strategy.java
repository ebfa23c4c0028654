package dev.rotor.engine;

import dev.rotor.store.Owner;

/** How an owner moves from the old credential to the new one. Later issues add alternating-users, dual-password and keyset. */
public interface Strategy {
    String name();

    /** Step 3: make the owner accept the new value (idempotent). */
    void accept(Owner owner, String newValue, String oldValue);

    /**
     * Step 7, once every target holds the new value and verification passed: the owner keeps only {@code keptValue}
     * (the new value, or what a strategy that keeps two names); {@code oldValue} is null when it was never known.
     */
    void retire(Owner owner, String oldValue, String keptValue);
}
