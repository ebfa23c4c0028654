package dev.rotor.store.dotenv;

import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
