package dev.rotor.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A system that holds copies of secrets that consumers read (files, Key Vault, GitHub...).
 * All methods throw {@link StoreException} with names, never values.
 */
public interface Store {
    Set<Capability> capabilities();

    default boolean can(Capability capability) {
        return capabilities().contains(capability);
    }

    /** Checks reachability and permission for these addresses; writes nothing. */
    void preflight(List<Address> addresses);

    /** The current value at an address, if present. Only for {@link Capability#READABLE}. */
    Optional<Stored> read(Address address);

    /** Writes a value; idempotent (a store that can read skips equal bytes and returns changed=false). */
    Written write(Address address, String value);

    /**
     * Writes only if the current version equals {@code expectedVersion} (null: only if absent).
     * Only for {@link Capability#COMPARE_AND_SET}; throws {@link StoreException.Kind#CONFLICT} otherwise.
     */
    default Written writeIfVersion(Address address, String value, String expectedVersion) {
        throw new StoreException(StoreException.Kind.INVALID, "compare-and-set is not supported by this store");
    }

    /**
     * After a unit's values reached every target: restart or re-sync the consumers of these addresses (those whose
     * target asks for it, e.g. {@code restart: true}), once per consumer however many of its entries changed, and
     * wait until they answer again. Idempotent: a resumed run calls it again. Only for {@link Capability#RESTART}.
     */
    default void restart(List<Address> addresses) {
    }

    /**
     * Right after the pending value is journaled: stage {@code value} at the address beside what consumers read, so
     * the store shows a rotation in progress; {@link #write} later promotes it. Idempotent (a resumed run stages
     * again). Only for {@link Capability#STAGE}.
     */
    default void stage(Address address, String value) {
    }

    /** A staged value that will not be promoted (a rollback dropped it) is removed. Only for {@link Capability#STAGE}. */
    default void unstage(Address address) {
    }

    /**
     * Removes the entry at an address and nothing else (a dotenv file keeps its other lines, a Vault secret its
     * other fields, a Kubernetes secret its other keys). Idempotent: an entry already gone is not an error.
     * Only for {@link Capability#DELETE}.
     */
    default void delete(Address address) {
        throw new StoreException(StoreException.Kind.INVALID, "this store cannot delete an entry");
    }

    /** When the value at an address last changed, if the store tells ({@link Capability#UPDATED_AT}). */
    default Optional<java.time.Instant> updatedAt(Address address) {
        return read(address).map(Stored::updatedAt);
    }

    /**
     * The address of the journal entry for a rotation unit (e.g. {@code db-password} or {@code db-password.prod}),
     * apart from any address consumers read. Only for {@link Capability#PENDING_SLOT}.
     */
    default Address journalAddress(String unit) {
        throw new StoreException(StoreException.Kind.INVALID, "this store cannot hold a journal");
    }
}
