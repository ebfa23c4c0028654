package dev.rotor.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract every store keeps, run against each one by a subclass. A subclass supplies the store, addresses
 * for its kind of target, and a way to see what the backing system holds ({@link #backingValue}: the store's own
 * read for readable stores, the double's record for write-only ones such as GitHub).
 */
public abstract class StoreContract {
    protected static final String MULTI_LINE = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIG1v\n-----END PRIVATE KEY-----\n";
    protected static final String AWKWARD = "p@ss w0rd:/?#[]\"'$`\\=%é";

    /** The store under test, fresh for each test. */
    protected abstract Store store();

    /** An address of this store's kind for a name unique within the test. */
    protected abstract Address address(String name);

    /** What the backing system holds at an address now (empty if nothing). */
    protected Optional<String> backingValue(Address address) {
        return store().read(address).map(Stored::value);
    }

    @Test
    void writtenValueIsWhatTheBackingSystemHolds() {
        Address a = address("contract-one");
        store().write(a, "first-value-1");
        assertEquals(Optional.of("first-value-1"), backingValue(a));
        store().write(a, "second-value-2");
        assertEquals(Optional.of("second-value-2"), backingValue(a));
    }

    @Test
    void awkwardAndMultiLineValuesSurviveTheRoundTrip() {
        Address pem = address("contract-pem");
        Address odd = address("contract-odd");
        store().write(pem, MULTI_LINE);
        store().write(odd, AWKWARD);
        assertEquals(Optional.of(MULTI_LINE), backingValue(pem));
        assertEquals(Optional.of(AWKWARD), backingValue(odd));
    }

    @Test
    void aWriteNeverDropsNeighbours() {
        Address a = address("contract-a");
        Address b = address("contract-b");
        store().write(a, "value-of-a");
        store().write(b, "value-of-b");
        store().write(a, "value-of-a-2");
        assertEquals(Optional.of("value-of-b"), backingValue(b));
    }

    @Test
    void writingTheSameValueAgainIsIdempotent() {
        Address a = address("contract-same");
        store().write(a, "same-value");
        Written again = store().write(a, "same-value");
        assertEquals(Optional.of("same-value"), backingValue(a));
        if (store().can(Capability.READABLE)) {
            assertFalse(again.changed(), "a readable store skips a write of equal bytes");
        }
    }

    @Test
    void preflightWritesNothing() {
        Address a = address("contract-preflight");
        store().preflight(List.of(a));
        assertEquals(Optional.empty(), backingValue(a));
    }

    @Test
    void readableStoresReadBackAndUnreadableOnesSayNothing() {
        Address a = address("contract-read");
        store().write(a, "readable-value");
        if (store().can(Capability.READABLE)) {
            assertEquals("readable-value", store().read(a).orElseThrow().value());
        } else {
            assertFalse(store().can(Capability.PENDING_SLOT), "an unreadable store cannot hold a journal");
        }
    }

    @Test
    void versionedStoresReturnAVersionPerChange() {
        assumeTrue(store().can(Capability.VERSIONED), "the store keeps no versions");
        Address a = address("contract-version");
        String first = store().write(a, "version-one").version();
        String second = store().write(a, "version-two").version();
        assertTrue(first != null && second != null);
        assertNotEquals(first, second);
    }

    @Test
    void updatedAtIsKnownAfterAWrite() {
        assumeTrue(store().can(Capability.UPDATED_AT), "the store does not tell when a value changed");
        Address a = address("contract-updated");
        store().write(a, "some-value");
        assertTrue(store().updatedAt(a).isPresent());
    }

    @Test
    void theJournalLivesApartFromWhatConsumersRead() {
        assumeTrue(store().can(Capability.PENDING_SLOT), "the store cannot hold a journal");
        Address journal = store().journalAddress("contract-unit");
        Address consumer = address("contract-unit");
        assertNotEquals(journal, consumer);
        store().write(consumer, "consumer-value");
        store().write(journal, "{\"journal\":true}");
        assertEquals(Optional.of("consumer-value"), backingValue(consumer));
        assertEquals("{\"journal\":true}", store().read(journal).orElseThrow().value());
    }

    @Test
    void compareAndSetRefusesAStaleVersion() {
        assumeTrue(store().can(Capability.COMPARE_AND_SET), "the store has no compare-and-set");
        Address a = store().can(Capability.PENDING_SLOT) ? store().journalAddress("contract-cas") : address("contract-cas");
        store().writeIfVersion(a, "cas-one", null);
        String version = store().read(a).orElseThrow().version();
        StoreException absent = assertThrows(StoreException.class, () -> store().writeIfVersion(a, "cas-x", null));
        assertEquals(StoreException.Kind.CONFLICT, absent.kind());
        store().writeIfVersion(a, "cas-two", version);
        StoreException stale = assertThrows(StoreException.class, () -> store().writeIfVersion(a, "cas-three", version));
        assertEquals(StoreException.Kind.CONFLICT, stale.kind());
        assertEquals("cas-two", store().read(a).orElseThrow().value());
    }

    @Test
    void deleteRemovesOneEntryAndKeepsItsNeighbours() {
        assumeTrue(store().can(Capability.DELETE), "the store cannot delete an entry");
        Address expired = address("contract-key-v1");
        Address neighbour = address("contract-key-v2");
        store().write(expired, "expired-key-value");
        store().write(neighbour, MULTI_LINE);
        store().delete(expired);
        assertEquals(Optional.empty(), backingValue(expired));
        assertEquals(Optional.of(MULTI_LINE), backingValue(neighbour));
        store().delete(expired);
        assertEquals(Optional.empty(), backingValue(expired));
        assertEquals(Optional.of(MULTI_LINE), backingValue(neighbour));
    }

    @Test
    void deletingAnEntryNeverWrittenIsNoError() {
        assumeTrue(store().can(Capability.DELETE), "the store cannot delete an entry");
        Address neighbour = address("contract-kept");
        store().write(neighbour, "kept-value");
        store().delete(address("contract-never-written"));
        assertEquals(Optional.empty(), backingValue(address("contract-never-written")));
        assertEquals(Optional.of("kept-value"), backingValue(neighbour));
    }

    @Test
    void storesThatCannotDeleteRefuseIt() {
        assumeFalse(store().can(Capability.DELETE), "the store can delete an entry");
        Address a = address("contract-undeletable");
        store().write(a, "undeletable-value");
        StoreException refused = assertThrows(StoreException.class, () -> store().delete(a));
        assertEquals(StoreException.Kind.INVALID, refused.kind());
        assertEquals(Optional.of("undeletable-value"), backingValue(a));
    }
}
