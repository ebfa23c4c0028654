package dev.rotor.store;

import java.util.Set;

/**
 * The system that enforces a credential (PostgreSQL role, Azure flexible server admin, Redis ACL user, key set).
 * Every method is idempotent: a re-run after a crash calls it again with the same value.
 */
public interface Owner {
    enum Ability {
        /** Holds two valid credentials at once (Redis ACL, dual-password, key sets, alternating users). */
        SEVERAL_CREDENTIALS
    }

    Set<Ability> abilities();

    /** Checks reachability and permission; changes nothing. */
    void preflight();

    /** Makes the owner accept {@code newValue}; with SEVERAL_CREDENTIALS, {@code oldValue} (may be null) stays valid. */
    void accept(String newValue, String oldValue);

    /**
     * Logs in with {@code value}; throws if it is refused. Returns empty when a login worked, or why no login can be
     * tested (a role that cannot log in): the engine then reports the test as skipped, with that reason.
     */
    java.util.Optional<String> test(String value);

    /** Stops accepting {@code oldValue} (no-op for owners that hold one credential). */
    void retire(String oldValue);
}
