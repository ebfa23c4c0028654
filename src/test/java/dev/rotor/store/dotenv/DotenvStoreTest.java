package dev.rotor.store.dotenv;

import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rotor.generate.Generators;
import dev.rotor.manifest.GeneratorSpec;
import dev.rotor.manifest.Location;
import dev.rotor.store.StoreException;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DotenvStoreTest extends StoreContract {
    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() {
        store = new DotenvProvider().openStore("env", Map.of("path", "app.env"),
                new ProviderContext(Map.of(), dir, Clock.systemUTC(), line -> { }));
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected Address address(String name) {
        return Address.of(name.toUpperCase().replace('-', '_'));
    }

    @Test
    void otherLinesAndCommentsStayByteForByte() throws Exception {
        Path file = dir.resolve("app.env");
        String before = "# MindWell dev\nexport LOG_LEVEL=debug\n\nDATABASE_URL=old-url # replaced\nOTHER='kept as is'\n";
        Files.writeString(file, before);
        store.write(Address.of("DATABASE_URL"), "postgresql://u:p%40ss@h/db");
        assertEquals("# MindWell dev\nexport LOG_LEVEL=debug\n\nDATABASE_URL=postgresql://u:p%40ss@h/db\n"
                + "OTHER='kept as is'\n", Files.readString(file));
        assertEquals("kept as is", store.read(Address.of("OTHER")).orElseThrow().value());
    }

    /** Any printable or control text survives quoting and reading back, next to neighbours that stay as they were. */
    @Test
    void randomValuesRoundTrip() throws Exception {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "abcXYZ019 \t\n\r\"'`$#=\\/:@%&*!?~{}[]()<>|;,.é€💥";
        Files.writeString(dir.resolve("app.env"), "# keep me\nNEIGHBOUR=plain\n");
        for (int i = 0; i < 300; i++) {
            StringBuilder value = new StringBuilder();
            int length = 1 + random.nextInt(40);
            for (int c = 0; c < length; c++) {
                value.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            store.write(Address.of("RANDOM"), value.toString());
            assertEquals(value.toString(), store.read(Address.of("RANDOM")).orElseThrow().value(), "value #" + i);
        }
        assertEquals("plain", store.read(Address.of("NEIGHBOUR")).orElseThrow().value());
        assertEquals("# keep me", Files.readAllLines(dir.resolve("app.env")).get(0));
    }

    @Test
    void everyLineOfADuplicatedKeyIsUpdatedSoEveryReaderAgrees() throws Exception {
        Path file = dir.resolve("app.env");
        Files.writeString(file, "TOKEN=first-old\nOTHER=kept\nTOKEN=last-old\n");
        assertEquals("last-old", store.read(Address.of("TOKEN")).orElseThrow().value(), "the last line, as a shell reads");
        store.write(Address.of("TOKEN"), "new-token");
        assertEquals("TOKEN=new-token\nOTHER=kept\nTOKEN=new-token\n", Files.readString(file));
    }

    @Test
    void anExportedLineStaysExported() throws Exception {
        Path file = dir.resolve("app.env");
        Files.writeString(file, "export TOKEN=old\n  export OTHER=kept\n");
        store.write(Address.of("TOKEN"), "new-token");
        assertEquals("export TOKEN=new-token\n  export OTHER=kept\n", Files.readString(file));
    }

    @Test
    void aCrlfFileKeepsItsCarriageReturns() throws Exception {
        Path file = dir.resolve("app.env");
        Files.writeString(file, "# windows\r\nTOKEN=old\r\nOTHER=kept\r\n");
        store.write(Address.of("TOKEN"), "new-token");
        store.write(Address.of("ADDED"), "added-value");
        assertEquals("# windows\r\nTOKEN=new-token\r\nOTHER=kept\r\nADDED=added-value\r\n", Files.readString(file));
        assertEquals("new-token", store.read(Address.of("TOKEN")).orElseThrow().value());
        assertFalse(store.write(Address.of("TOKEN"), "new-token").changed(), "the CR is not a difference");
    }

    /** The store and the {@code provided} generator read one file alike: same quoting, comments, last line wins. */
    @Test
    void theStoreAndTheProvidedGeneratorReadAFileAlike() throws Exception {
        Files.writeString(dir.resolve("app.env"), String.join("\n",
                "A=first",
                "A=\"quoted \\\"x\\\" #not a comment\" # a comment",
                "export B='single #kept'",
                "C=plain\t# tab comment",
                "D = spaced",
                "E=\"tab\\there\\nnext\"", ""));
        Map<String, String> expected = Map.of("A", "quoted \"x\" #not a comment", "B", "single #kept", "C", "plain",
                "D", "spaced", "E", "tab\there\nnext");
        expected.forEach((name, value) -> {
            assertEquals(value, store.read(Address.of(name)).orElseThrow().value(), "the store's " + name);
            assertEquals(value, provided(name), "the provided generator's " + name);
        });
    }

    private String provided(String name) {
        GeneratorSpec spec = new GeneratorSpec("provided", Map.of("variable", name, "file", "app.env"),
                new Location(dir.resolve("rotation.yml"), 1, 1));
        return Generators.create(spec, Map.of(), dir, new SecureRandom()).generate();
    }

    @Test
    void aMalformedLineIsNamedByNumberNeverByContent() throws Exception {
        Files.writeString(dir.resolve("app.env"), "A=1\nTOKEN=\"unclosed-secret\n");
        StoreException e = assertThrows(StoreException.class, () -> store.read(Address.of("TOKEN")));
        assertEquals("env: " + dir.resolve("app.env") + " line 2 (TOKEN): the double quote is not closed", e.getMessage());
    }

    /** A value over several lines: its continuation lines look like assignments, so nothing is rewritten. */
    @Test
    void aFileWithAMultiLineValueIsRefusedBeforeAnyLineOfItIsRewritten() throws Exception {
        Path file = dir.resolve("app.env");
        String before = "BAR=\"first\nDATABASE_URL=inside-bar\nlast\"\nDATABASE_URL=old\n";
        Files.writeString(file, before);
        for (Executable operation : List.<Executable>of(() -> store.preflight(List.of(Address.of("DATABASE_URL"))),
                () -> store.write(Address.of("DATABASE_URL"), "new"), () -> store.delete(Address.of("DATABASE_URL")))) {
            StoreException e = assertThrows(StoreException.class, operation);
            assertEquals("env: " + file + " line 1 (BAR): the double quote is not closed", e.getMessage());
            assertEquals("write that value on one line (quoted, with \\n for a line break), then run Rotor again",
                    e.suggestion());
        }
        assertEquals(before, Files.readString(file));
    }

    @Test
    void aLastLineWithoutANewlineStaysSoWhenAnotherLineIsRewritten() throws Exception {
        Path file = dir.resolve("app.env");
        Files.writeString(file, "DATABASE_URL=old\nLAST=x");
        store.write(Address.of("DATABASE_URL"), "new");
        assertEquals("DATABASE_URL=new\nLAST=x", Files.readString(file));
    }

    @Test
    void aDirectoryOrANonUtf8FileIsRefusedAtPreflight() throws Exception {
        Path file = dir.resolve("app.env");
        Files.createDirectory(file);
        StoreException directory = assertThrows(StoreException.class, () -> store.preflight(List.of()));
        assertEquals("env: " + file + " is a directory, not a .env file", directory.getMessage());
        Files.delete(file);
        Files.write(file, new byte[]{'A', '=', (byte) 0xff, '\n'});
        StoreException binary = assertThrows(StoreException.class, () -> store.preflight(List.of()));
        assertEquals("env: read " + file + " failed: it is not UTF-8 text", binary.getMessage());
    }

    @Test
    void aLinkInsideTheDirectoryIsFollowedAndKept() throws Exception {
        Path real = Files.writeString(Files.createDirectories(dir.resolve("env")).resolve("dev.env"), "TOKEN=old\n");
        Path link = Files.createSymbolicLink(dir.resolve("app.env"), Path.of("env/dev.env"));
        assertEquals("old", store.read(Address.of("TOKEN")).orElseThrow().value());
        store.write(Address.of("TOKEN"), "new-token");
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("TOKEN=new-token\n", Files.readString(real));
    }

    @Test
    void aLinkLeadingOutsideTheDirectoryIsRefusedForReadAndWrite() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path outside = Files.writeString(shared.resolve("app.env"), "TOKEN=not-rotors-value\n");
        Store nested = new DotenvProvider().openStore("env", Map.of("path", "project/app.env"),
                new ProviderContext(Map.of(), dir, Clock.systemUTC(), line -> { }));
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("project")).resolve("app.env"),
                Path.of("../shared/app.env"));
        for (Executable call : List.<Executable>of(() -> nested.read(Address.of("TOKEN")),
                () -> nested.write(Address.of("TOKEN"), "new-token"), () -> nested.delete(Address.of("TOKEN")))) {
            StoreException e = assertThrows(StoreException.class, call);
            assertEquals(StoreException.Kind.INVALID, e.kind());
            assertEquals("env: " + link + " is a symbolic link to " + outside.toRealPath() + ", outside "
                    + dir.resolve("project") + "; Rotor neither reads nor replaces a file outside its store", e.getMessage());
            assertEquals("point the store at " + outside.toRealPath() + " itself, or move that file into "
                    + dir.resolve("project"), e.suggestion());
        }
        assertEquals("TOKEN=not-rotors-value\n", Files.readString(outside));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aRewrittenFileKeepsItsModeAndOwner() throws Exception {
        Path file = Files.writeString(dir.resolve("app.env"), "TOKEN=old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        boolean root = Integer.valueOf(0).equals(Files.getAttribute(dir, "unix:uid"));
        if (root) {
            Files.setAttribute(file, "unix:uid", 65534);
            Files.setAttribute(file, "unix:gid", 65534);
        }
        store.write(Address.of("TOKEN"), "new-token");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assumeTrue(root, "only root can give a file away");
        assertEquals(65534, Files.getAttribute(file, "unix:uid"));
        assertEquals(65534, Files.getAttribute(file, "unix:gid"));
    }

    /** Threads of one process, each its own run's store, writing different keys of one file: every write lands. */
    @Test
    void concurrentWritesOfDifferentKeysAllLand() throws Exception {
        List<String> keys = List.of("K1", "K2", "K3", "K4");
        ExecutorService pool = Executors.newFixedThreadPool(keys.size());
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (String key : keys) {
                writers.add(pool.submit(() -> {
                    for (int round = 0; round < 30; round++) {
                        new DotenvProvider().openStore("env", Map.of("path", "app.env"),
                                new ProviderContext(Map.of(), dir, Clock.systemUTC(), line -> { }))
                                .write(Address.of(key), key + "-" + round);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("K1=K1-29\nK2=K2-29\nK3=K3-29\nK4=K4-29\n", Files.readAllLines(dir.resolve("app.env")).stream()
                .sorted().map(l -> l + "\n").reduce("", String::concat));
    }

    @Test
    void theLockFileLivesBesideTheFileAndIsPrivate() throws Exception {
        store.write(Address.of("TOKEN"), "new-token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".app.env.lock"))));
        assertEquals("TOKEN=new-token\n", Files.readString(dir.resolve("app.env")));
    }

    @Test
    void aDeleteRemovesEveryLineOfTheKeyAndKeepsEveryOtherByteAndTheOrder() throws Exception {
        Path file = dir.resolve("app.env");
        Files.writeString(file, "# signing keys\r\nJWT_SECRET_V1=old\r\nexport JWT_SECRET_V2=\"live\"\r\n\r\n"
                + "  JWT_SECRET_V1 = 'duplicate' # stale\r\nACTIVE_KEY=jwt-secret-v2\r\n");
        store.delete(Address.of("JWT_SECRET_V1"));
        assertEquals("# signing keys\r\nexport JWT_SECRET_V2=\"live\"\r\n\r\nACTIVE_KEY=jwt-secret-v2\r\n",
                Files.readString(file));
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(file);
        Thread.sleep(20);
        store.delete(Address.of("JWT_SECRET_V1"));
        assertEquals(before, Files.getLastModifiedTime(file), "nothing to delete: the file is not rewritten");
    }

    @Test
    void aDeleteThroughALinkKeepsTheLink() throws Exception {
        Path real = Files.writeString(Files.createDirectories(dir.resolve("env")).resolve("dev.env"), "A=1\nB=2\n");
        Path link = Files.createSymbolicLink(dir.resolve("app.env"), Path.of("env/dev.env"));
        store.delete(Address.of("A"));
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("B=2\n", Files.readString(real));
    }

    /** Runs deleting and writing different keys of one file at once: every change lands. */
    @Test
    void concurrentDeletesAndWritesOfDifferentKeysAllLand() throws Exception {
        List<String> keys = List.of("K1", "K2", "K3", "K4");
        Files.writeString(dir.resolve("app.env"), "OLD_K1=a\nOLD_K2=b\nOLD_K3=c\nOLD_K4=d\n");
        ExecutorService pool = Executors.newFixedThreadPool(keys.size());
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (String key : keys) {
                runs.add(pool.submit(() -> {
                    Store run = new DotenvProvider().openStore("env", Map.of("path", "app.env"),
                            new ProviderContext(Map.of(), dir, Clock.systemUTC(), line -> { }));
                    run.write(Address.of(key), key + "-new");
                    run.delete(Address.of("OLD_" + key));
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("K1=K1-new", "K2=K2-new", "K3=K3-new", "K4=K4-new"),
                Files.readAllLines(dir.resolve("app.env")).stream().sorted().toList());
    }
}
