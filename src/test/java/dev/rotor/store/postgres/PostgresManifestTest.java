package dev.rotor.store.postgres;

import dev.rotor.manifest.ManifestException;
import dev.rotor.manifest.ManifestLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest docs/postgres.md shows validates; a postgres store cannot be a target. */
class PostgresManifestTest {
    @Test
    void theDocumentedManifestValidates(@TempDir Path dir) throws IOException {
        Matcher yaml = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("docs/postgres.md")));
        assertTrue(yaml.find());
        Path file = Files.writeString(dir.resolve("rotation.yml"), "version: 1\n" + yaml.group(1));
        assertDoesNotThrow(() -> ManifestLoader.load(file, Map.of("PG_ADMIN_PASSWORD", "x")));
    }

    @Test
    void aPostgresStoreIsNoTarget(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  db: { type: postgres, host: localhost, user: postgres, password: "${env:PG_ADMIN_PASSWORD}" }
                  keys: { type: files, directory: keys }
                secrets:
                  p:
                    generate: { type: password, length: 32 }
                    owner: { store: db, user: appuser }
                    targets: [ { store: keys, name: p }, { store: db, name: p } ]
                """);
        ManifestException e = assertThrows(ManifestException.class,
                () -> ManifestLoader.load(file, Map.of("PG_ADMIN_PASSWORD", "x")));
        assertTrue(String.valueOf(e.getMessage()).contains("postgres"), e.getMessage());
    }
}
