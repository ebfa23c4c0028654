package dev.rotor.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;

import java.io.IOException;
import java.util.Optional;

/**
 * Reads and writes one unit's {@link JournalRecord} in its journal store. Every save is a compare-and-set against
 * the version last read, so two runs cannot both take the lease.
 */
final class Journal {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String storeName;
    private final Store store;
    private final Address address;
    private String version;

    Journal(String storeName, Store store, String unit) {
        this.storeName = storeName;
        this.store = store;
        this.address = store.journalAddress(unit);
    }

    void preflightStore() {
        store.preflight(java.util.List.of(address));
    }

    String describe() {
        return storeName + ":" + address.name();
    }

    JournalRecord load(String unit) {
        Optional<Stored> stored = store.read(address);
        version = stored.map(Stored::version).orElse(null);
        if (stored.isEmpty()) {
            JournalRecord fresh = new JournalRecord();
            fresh.unit = unit;
            return fresh;
        }
        try {
            return JSON.readValue(stored.get().value(), JournalRecord.class);
        } catch (IOException e) {
            // Jackson's message may quote the document, which holds values: name the entry only.
            throw new StoreException(StoreException.Kind.INVALID, "journal " + describe() + " is not a Rotor journal",
                    "it was changed outside Rotor: restore it from a backup or the store's version history, since it "
                            + "may hold a value no other copy has");
        }
    }

    void save(JournalRecord record) {
        record.revision++;
        String json;
        try {
            json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.FAILED, "journal " + describe() + " could not be encoded");
        }
        // validate admits only journal stores that can compare and set: two runs must never both take a lease.
        version = store.writeIfVersion(address, json, version).version();
    }
}
