package dev.rotor.engine;

import dev.rotor.store.Owner;

/** How an owner moves from the old credential to the new one. Later issues add alternating-users, dual-password and keyset. */
public interface Strategy {
    String name();

    /** Step 3: make the owner accept the new value (idempotent). */
    void accept(Owner owner, String newValue, String oldValue);

    /** Step 7: stop accepting the old value once every target holds the new one and verification passed. */
    void retire(Owner owner, String oldValue);
}
