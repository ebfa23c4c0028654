package dev.rotor.store;

import java.util.Set;

/**
 * The system that enforces a credential (PostgreSQL role, Azure flexible server admin, Redis ACL user, key set).
 * Every method is idempotent: a re-run after a crash calls it again with the same value.
 */
public interface Owner extends AutoCloseable {
    /** Releases what the owner kept open for the run (an admin connection); called once the run is over. */
    @Override
    default void close() {
    }

    enum Ability {
        /** One user holds two or more valid passwords at once (Redis ACL users): dual-password. */
        SEVERAL_CREDENTIALS,
        /**
         * Creates users that hold exactly another user's privileges, and removes users ({@link #createUserLike},
         * {@link #removeUser}, {@link #test(String, String)}): alternating-users.
         */
        SEVERAL_USERS
    }

    Set<Ability> abilities();

    /**
     * What a rotation does to the owner's consumers, for {@code plan} to say (a single credential changed in place
     * stops new connections that still use the old one); empty when nothing they would notice.
     */
    default java.util.Optional<String> consumerImpact() {
        return java.util.Optional.empty();
    }

    /**
     * Checks reachability and permission to change {@code activeUser}, or the configured user when it is null (under
     * alternating-users the user in use moves on from the configured one, which may be gone); changes nothing.
     */
    void preflight(String activeUser);

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
     * Once every target holds the new value and verification passed: makes {@code keptValues} the only credentials
     * the owner accepts, whatever else it held: {@code oldValue}, or one set by hand before Rotor's first rotation
     * ({@code oldValue} is then null, as Rotor never knew it). One kept value for single-user; dual-password keeps
     * the promoted CURRENT and a prepared NEXT. Idempotent; owners that hold one credential already hold exactly
     * the new value.
     */
    void retire(String oldValue, java.util.List<String> keptValues);

    /**
     * Logs in as {@code user} (not necessarily the configured one) with {@code value}; throws if refused, as
     * {@link #test(String)}. For alternating users and the downtime probe; only with {@link Ability#SEVERAL_USERS}.
     */
    default java.util.Optional<String> test(String user, String value) {
        throw new StoreException(StoreException.Kind.INVALID, "this owner cannot log in as another user");
    }

    /**
     * Alternating users: makes {@code user} log in with {@code password} and hold exactly the privileges of
     * {@code like} (created when missing, reset when it exists: privileges it has and {@code like} lacks are
     * revoked); {@code like} null keeps the user's privileges as they are (a rollback to a user that still exists).
     * Idempotent. Only with {@link Ability#SEVERAL_USERS}.
     */
    default void createUserLike(String user, String password, String like) {
        throw new StoreException(StoreException.Kind.INVALID, "this owner cannot create users");
    }

    /**
     * Alternating users, after the grace period: removes {@code user} (drops it, or only stops its logins when the
     * owner is configured so). Returns empty once the user is gone or no longer logs in (a missing user is gone:
     * idempotent); otherwise changes nothing and returns what holds it back ("2 open sessions", "owns 3 objects").
     * With {@code emergency} its logins stop in any case: open sessions are ended, and a user that cannot be dropped
     * is set so it cannot log in (the reason it is kept is still returned). Only with {@link Ability#SEVERAL_USERS}.
     */
    default java.util.Optional<String> removeUser(String user, boolean emergency) {
        throw new StoreException(StoreException.Kind.INVALID, "this owner cannot remove users");
    }
}
