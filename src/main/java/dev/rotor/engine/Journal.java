package dev.rotor.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
        store.preflight(List.of(address));
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
        JournalRecord record;
        try {
            record = JSON.readValue(stored.get().value(), JournalRecord.class);
        } catch (IOException e) {
            // Jackson's message may quote the document, which holds values: name the entry only.
            throw changedOutside("is not a Rotor journal");
        }
        if (record == null || record.retiring == null || record.versions == null || record.copies == null) {
            throw changedOutside("is not a Rotor journal");
        }
        if (record.format != 1) {
            throw new StoreException(StoreException.Kind.INVALID, "journal " + describe() + " has format "
                    + record.format + ", which this Rotor does not read", "run the Rotor version that wrote it");
        }
        if (!unit.equals(record.unit)) {
            throw changedOutside("is the journal of '" + record.unit + "', not of '" + unit + "'");
        }
        if (!timesParse(record)) {
            throw changedOutside("holds a time that is not an ISO-8601 instant");
        }
        return record;
    }

    private StoreException changedOutside(String problem) {
        return new StoreException(StoreException.Kind.INVALID, "journal " + describe() + " " + problem,
                "it was changed outside Rotor: restore it from a backup or the store's version history, since it "
                        + "may hold a value no other copy has");
    }

    /** Every time Rotor reads back from the record (age, lease, grace, drift) is one it can parse. */
    private static boolean timesParse(JournalRecord record) {
        // A lease is read with its expiry, a retiring name with the end of its grace: those must be there.
        List<String> times = new ArrayList<>(List.of(Objects.toString(record.rotatedAt, ""),
                Objects.toString(record.pendingSince, ""),
                Objects.toString(record.leaseExpires, record.leaseHolder == null ? "" : "?")));
        record.retiring.forEach(r -> times.add(r == null || r.after == null ? "?" : r.after));
        record.copies.values().forEach(c -> times.add(c == null ? "?" : Objects.toString(c.writtenAt, "")));
        try {
            times.stream().filter(t -> !t.isEmpty()).forEach(Instant::parse);
            return true;
        } catch (DateTimeParseException e) {
            return false;
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
