package dev.rotor.store.files;

import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.rotor.testing.MutableClock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilesStoreTest extends StoreContract {
    @TempDir
    Path dir;
    private Store store;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void open() {
        store = new FilesProvider().openStore("keys", Map.of("directory", "keys", "keep-backups", 2),
                new ProviderContext(Map.of(), dir, clock, line -> { }));
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected Address address(String name) {
        return Address.of(name + ".txt");
    }

    @Test
    void filesArePrivate() throws Exception {
        store.write(address("private"), "value-1234");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys/private.txt"))));
    }

    @Test
    void anOverwriteKeepsATimestampedBackupAndPrunesOldOnes() throws Exception {
        Address a = address("pw");
        store.write(a, "v1-value");
        clock.advance(java.time.Duration.ofSeconds(1));
        store.write(a, "v2-value");
        clock.advance(java.time.Duration.ofSeconds(1));
        store.write(a, "v3-value");
        clock.advance(java.time.Duration.ofSeconds(1));
        store.write(a, "v4-value");
        Path backups = dir.resolve("keys/.rotor/backups");
        List<String> kept;
        try (Stream<Path> s = Files.list(backups)) {
            kept = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("backup-20260101-000002", "backup-20260101-000003"), kept);
        assertEquals("v3-value", Files.readString(backups.resolve("backup-20260101-000003/pw.txt")));
    }

    @Test
    void noTemporaryFilesAreLeftBehind() throws Exception {
        store.write(address("tidy"), "tidy-value");
        try (Stream<Path> s = Files.list(dir.resolve("keys"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")));
        }
    }

    @Test
    void noAddressLeavesTheDirectory() {
        for (String name : new String[]{"../outside.txt", "a/../../outside.txt", "."}) {
            dev.rotor.store.StoreException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.rotor.store.StoreException.class, () -> store.write(Address.of(name), "value-1234"));
            assertEquals(dev.rotor.store.StoreException.Kind.INVALID, e.kind());
        }
        assertTrue(Files.notExists(dir.resolve("outside.txt")));
    }
}
