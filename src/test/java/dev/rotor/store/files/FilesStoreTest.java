package dev.rotor.store.files;

import dev.rotor.store.Address;
import dev.rotor.store.LocalFiles;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;
import dev.rotor.store.StoreException;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /** The store as a new run opens it (once per run), with {@code settings} beside the directory. */
    private Store run(Object... settings) {
        return run(clock, settings);
    }

    private Store run(Clock runClock, Object... settings) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of("directory", "keys", "keep-backups", 2));
        for (int i = 0; i < settings.length; i += 2) {
            all.put((String) settings[i], settings[i + 1]);
        }
        return new FilesProvider().openStore("keys", all, new ProviderContext(Map.of(), dir, runClock, line -> { }));
    }

    private List<String> backupFolders() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("keys/.rotor/backups"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void anOverwriteKeepsATimestampedBackupAndPrunesOldOnes() throws Exception {
        Address a = address("pw");
        run().write(a, "v1-value");
        clock.advance(java.time.Duration.ofSeconds(1));
        run().write(a, "v2-value");
        clock.advance(java.time.Duration.ofSeconds(1));
        run().write(a, "v3-value");
        clock.advance(java.time.Duration.ofSeconds(1));
        run().write(a, "v4-value");
        assertEquals(List.of("backup-20260101-000002", "backup-20260101-000003"), backupFolders());
        Path backups = dir.resolve("keys/.rotor/backups");
        assertEquals("v2-value", Files.readString(backups.resolve("backup-20260101-000002/pw.txt")));
        assertEquals("v3-value", Files.readString(backups.resolve("backup-20260101-000003/pw.txt")));
    }

    @Test
    void oneRunMakesOneBackupFolderEvenAcrossASecondBoundaryHoldingWhatWasThereBeforeTheRun() throws Exception {
        Store first = run();
        first.write(address("a"), "a-before");
        first.write(address("b"), "b-before");
        clock.advance(java.time.Duration.ofSeconds(5));
        Store second = run();
        second.write(address("a"), "a-new");
        clock.advance(java.time.Duration.ofMillis(1500));
        second.write(address("b"), "b-new");
        second.write(address("a"), "a-newer");
        assertEquals(List.of("backup-20260101-000005"), backupFolders());
        Path folder = dir.resolve("keys/.rotor/backups/backup-20260101-000005");
        assertEquals("a-before", Files.readString(folder.resolve("a.txt")), "the value from before the run");
        assertEquals("b-before", Files.readString(folder.resolve("b.txt")));
    }

    @Test
    void twoRunsInOneSecondGetTheirOwnFoldersAndPruningCountsSuffixesAsNumbers() throws Exception {
        Address a = address("pw");
        run().write(a, "v1-value");
        run("keep-backups", 3).write(a, "v2-value");
        run("keep-backups", 3).write(a, "v3-value");
        assertEquals(List.of("backup-20260101-000000", "backup-20260101-000000-2"), backupFolders());
        Path backups = dir.resolve("keys/.rotor/backups");
        assertEquals("v1-value", Files.readString(backups.resolve("backup-20260101-000000/pw.txt")));
        assertEquals("v2-value", Files.readString(backups.resolve("backup-20260101-000000-2/pw.txt")));
        for (int suffix = 3; suffix <= 9; suffix++) {
            Files.createDirectory(backups.resolve("backup-20260101-000000-" + suffix));
        }
        run().write(a, "v4-value");
        assertEquals(List.of("backup-20260101-000000-10", "backup-20260101-000000-9"), backupFolders(),
                "-10 is newer than -9");
        assertEquals("v3-value", Files.readString(backups.resolve("backup-20260101-000000-10/pw.txt")));
    }

    @Test
    void pruningToleratesAFolderAnotherProcessAlreadyRemoved() throws Exception {
        Path gone = dir.resolve("keys/.rotor/backups/backup-20250101-000000");
        LocalFiles.deleteTree(gone);
        assertTrue(Files.notExists(gone));
    }

    /** Runs at once, each a second apart: every write makes a backup folder and prunes the others (keep-backups 1). */
    @Test
    void concurrentRunsBackUpAndPruneWithoutFailing() throws Exception {
        List<Address> names = List.of(address("c1"), address("c2"), address("c3"), address("c4"));
        for (Address name : names) {
            run().write(name, "initial-value");
        }
        java.util.concurrent.atomic.AtomicLong seconds = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(names.size());
        try {
            List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (Address name : names) {
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 25; round++) {
                        Clock runClock = Clock.fixed(clock.instant().plusSeconds(seconds.incrementAndGet()), ZoneOffset.UTC);
                        run(runClock, "keep-backups", 1).write(name, "value-" + round);
                    }
                }));
            }
            for (java.util.concurrent.Future<?> r : runs) {
                r.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (Address name : names) {
            assertEquals("value-24", store.read(name).orElseThrow().value());
        }
        run(Clock.fixed(clock.instant().plusSeconds(101), ZoneOffset.UTC), "keep-backups", 1).write(names.get(0), "last");
        assertEquals(List.of("backup-20260101-000141"), backupFolders(), "the run after the 100 keeps its own");
    }

    @Test
    void staleTemporaryFilesOfADeadWriterAreRemovedByTheNextWrite() throws Exception {
        long dead = deadPid();
        Process live = new ProcessBuilder("sleep", "60").start();
        try {
            Path keys = Files.createDirectories(dir.resolve("keys"));
            Path stale = Files.writeString(keys.resolve(".pw.txt.tmp-" + dead), "half-written-secret");
            Path busy = Files.writeString(keys.resolve(".pw.txt.tmp-" + live.pid()), "being-written-secret");
            Path journalDir = Files.createDirectories(keys.resolve(".rotor/journal"));
            Path staleJournal = Files.writeString(journalDir.resolve(".unit.json.tmp-" + dead), "{\"pending\":\"x\"}");
            store.write(address("pw"), "fresh-value");
            store.writeIfVersion(store.journalAddress("unit"), "{}", null);
            assertTrue(Files.notExists(stale), "a dead writer's temporary file is removed");
            assertTrue(Files.notExists(staleJournal), "a dead writer's temporary journal is removed");
            assertTrue(Files.exists(busy), "a live writer's is left alone");
        } finally {
            live.destroyForcibly().waitFor();
        }
    }

    /** The pid of a process that has exited (pids are not reused so soon). */
    static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertFalse(ProcessHandle.of(gone.pid()).map(ProcessHandle::isAlive).orElse(false));
        return gone.pid();
    }

    @Test
    void aLinkInsideTheDirectoryIsFollowedAndKept() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys/mounted"));
        Files.writeString(keys.resolve("pw-real"), "old-value");
        Path link = Files.createSymbolicLink(dir.resolve("keys/pw.txt"), Path.of("mounted/pw-real"));
        assertEquals("old-value", store.read(address("pw")).orElseThrow().value());
        store.write(address("pw"), "new-value");
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("new-value", Files.readString(keys.resolve("pw-real")));
    }

    @Test
    void aLinkLeadingOutsideTheDirectoryIsRefusedForReadAndWrite() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside.txt"), "not-rotors-value");
        Files.createDirectories(dir.resolve("keys"));
        Path link = Files.createSymbolicLink(dir.resolve("keys/pw.txt"), outside);
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> store.read(address("pw")), () -> store.write(address("pw"), "new-value"),
                () -> store.delete(address("pw")))) {
            StoreException e = assertThrows(StoreException.class, call);
            assertEquals(StoreException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage().startsWith("keys: " + link + " is a symbolic link to " + outside.toRealPath()
                    + ", outside " + dir.resolve("keys")), e.getMessage());
            assertFalse(e.getMessage().contains("not-rotors-value"));
            assertTrue(e.suggestion().contains("move that file into"), e.suggestion());
        }
        assertEquals("not-rotors-value", Files.readString(outside));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aReplacedFileKeepsItsModeAndANewOneGetsTheManifestsMode() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        for (String mode : List.of("rw-r--r--", "r--r-----")) {
            Path file = Files.writeString(keys.resolve("kept.txt"), "old-value");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            store.write(address("kept"), "new-value-" + mode);
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("new-value-" + mode, Files.readString(file));
            Files.delete(file);
        }
        run("mode", "0664").write(address("fresh"), "fresh-value");
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("fresh.txt"))),
                "the manifest's mode, whatever the umask");
    }

    @Test
    void aReplacedFileKeepsItsOwnerAndGroup() throws Exception {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(dir, "unix:uid")), "only root can give files away");
        Path file = Files.writeString(Files.createDirectories(dir.resolve("keys")).resolve("owned.txt"), "old-value");
        Files.setAttribute(file, "unix:uid", 65534);
        Files.setAttribute(file, "unix:gid", 65534);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
        store.write(address("owned"), "new-value");
        assertEquals(65534, Files.getAttribute(file, "unix:uid"));
        assertEquals(65534, Files.getAttribute(file, "unix:gid"));
        assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("new-value", Files.readString(file));
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
            StoreException e = assertThrows(StoreException.class, () -> store.write(Address.of(name), "value-1234"));
            assertEquals(StoreException.Kind.INVALID, e.kind());
            assertEquals(StoreException.Kind.INVALID,
                    assertThrows(StoreException.class, () -> store.delete(Address.of(name))).kind());
        }
        assertTrue(Files.notExists(dir.resolve("outside.txt")));
    }

    @Test
    void aDeleteRemovesTheFileKeepsTheDirectoryAndBacksTheValueUp() throws Exception {
        store.write(address("jwt/jwt-secret-v1"), "expired-key");
        store.write(address("jwt/jwt-secret-v2"), "live-key");
        store.delete(address("jwt/jwt-secret-v1"));
        assertTrue(Files.notExists(dir.resolve("keys/jwt/jwt-secret-v1.txt")));
        assertTrue(Files.isDirectory(dir.resolve("keys/jwt")));
        assertEquals("live-key", Files.readString(dir.resolve("keys/jwt/jwt-secret-v2.txt")));
        assertEquals(List.of("backup-20260101-000000"), backupFolders());
        assertEquals("expired-key", Files.readString(
                dir.resolve("keys/.rotor/backups/backup-20260101-000000/jwt/jwt-secret-v1.txt")));
    }

    @Test
    void aDeletedLinkGoesAsALinkAndItsTargetStays() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys/versions"));
        Path target = Files.writeString(keys.resolve("v1"), "linked-key");
        Path link = Files.createSymbolicLink(dir.resolve("keys/active.txt"), Path.of("versions/v1"));
        store.delete(address("active"));
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("linked-key", Files.readString(target));
    }

    @Test
    void aDirectoryIsNeverDeleted() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("keys/empty-folder"));
        StoreException e = assertThrows(StoreException.class, () -> store.delete(Address.of("empty-folder")));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertEquals("keys: 'empty-folder' is a directory, not a secret's file; Rotor deletes files only", e.getMessage());
        assertTrue(Files.isDirectory(folder));
    }
}
