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

    /**
     * What a rotation does to the owner's consumers, for {@code plan} to say (a single credential changed in place
     * stops new connections that still use the old one); empty when nothing they would notice.
     */
    default java.util.Optional<String> consumerImpact() {
        return java.util.Optional.empty();
    }

    /** Checks reachability and permission; changes nothing. */
    void preflight();

    /**
     * Makes the owner accept {@code newValue}; with SEVERAL_CREDENTIALS, every credential it held stays valid until
     * {@link #retire}, {@code oldValue} (null when unknown) and any other.
     */
    void accept(String newValue, String oldValue);

    /**
     * Logs in with {@code value}; throws if it is refused. Returns empty when a login worked, or why no login can be
     * tested (a role that cannot log in): the engine then reports the test as skipped, with that reason.
     */
    java.util.Optional<String> test(String value);

    /**
     * Once every target holds {@code keptValue} and verification passed: makes {@code keptValue} the only credential
     * the owner accepts, whatever else it held: {@code oldValue}, or one set by hand before Rotor's first rotation
     * ({@code oldValue} is then null, as Rotor never knew it). Idempotent; owners that hold one credential already
     * hold exactly {@code keptValue}.
     */
    void retire(String oldValue, String keptValue);
}
