package dev.rotor.engine;

import dev.rotor.store.Owner;

import java.util.List;

/**
 * How a unit moves from the old credential to the new one (design.md "Strategies"). A strategy decides what the
 * owner is asked and how the old credential ends; the engine keeps the order of the steps, the journal and the
 * targets, the same for every strategy.
 */
public interface Strategy {
    String name();

    /**
     * Whether the credential has a name that changes with each rotation (alternating-users: the user; keyset: the
     * key id). A named credential that was replaced keeps working for the secret's {@code grace}, and a later run
     * removes it; an unnamed one (a password of one user) ends at {@link #retire}.
     */
    default boolean named() {
        return false;
    }

    /** The {@code ${secret.FIELD}} a named credential's name renders as ({@code username}, {@code kid}); null if unnamed. */
    default String nameField() {
        return null;
    }

    /** The name in use when Rotor takes a secret over and its journal knows none; null when the engine finds it. */
    default String adoptedName(Unit unit) {
        return null;
    }

    /** The name of the credential a rotation creates after {@code currentName} (null when none is known). */
    default String nextName(Unit unit, String currentName) {
        return null;
    }

    /** Step 3: the owner accepts the pending credential beside the one it replaces. Idempotent. */
    void accept(Owner owner, JournalRecord record);

    /** Step 7, once every target holds the pending value: the owner keeps only {@code kept} of the user's passwords. */
    void retire(Owner owner, JournalRecord record, List<String> kept);
}
