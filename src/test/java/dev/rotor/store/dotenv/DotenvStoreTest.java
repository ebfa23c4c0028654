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
}
