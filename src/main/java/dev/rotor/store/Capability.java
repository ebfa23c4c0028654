package dev.rotor.store;

/** What a store can do; the engine asks these, never the store's type. */
public enum Capability {
    /** Values can be read back (GitHub secrets cannot). Required of a journal. */
    READABLE,
    /** Every write returns a version id that the report and audit log name. */
    VERSIONED,
    /** Can hold the journal in an entry apart from what consumers read. */
    PENDING_SLOT,
    /** {@link Store#writeIfVersion} is atomic. */
    COMPARE_AND_SET,
    /** Reports when an entry was last updated (for {@code status}). */
    UPDATED_AT,
    /**
     * Restarts or re-syncs the consumers of what it holds ({@link Store#restart}): an App Service restart, a
     * Kubernetes rolling restart, an External Secrets sync. The engine calls it after distribution, before verify.
     */
    RESTART,
    /**
     * Can hold a value staged beside the one consumers read ({@link Store#stage}), as AWS's rotation functions put
     * the pending value under AWSPENDING: the store shows a rotation in progress from the pending step on.
     */
    STAGE,
    /**
     * Deletes one entry with its neighbours kept ({@link Store#delete}): a key set's expired version is removed
     * after its grace period.
     */
    DELETE,
    /** Lives on this machine's disk: not durable on a hosted GitHub Actions runner (validate warns of such a journal). */
    LOCAL
}
