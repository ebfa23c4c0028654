package dev.rotor.store.postgres;

import dev.rotor.engine.Vocabularies;
import dev.rotor.manifest.ManifestException;
import dev.rotor.manifest.ManifestLoader;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertDoesNotThrow(() -> Vocabularies.load(file, Map.of("PG_ADMIN_PASSWORD", "x")));
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
                () -> Vocabularies.load(file, Map.of("PG_ADMIN_PASSWORD", "x")));
        assertTrue(String.valueOf(e.getMessage()).contains("postgres"), e.getMessage());
    }

    @Test
    void validateReportsAnOwnerWithoutItsRoleTheAdminAsOwnerAndBadSettingsAtTheirPositions(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  db: { type: postgres, host: localhost, port: 70000, user: postgres,
                        password: "${env:PG_ADMIN_PASSWORD}", sslmode: sometimes }
                  keys: { type: files, directory: keys }
                secrets:
                  p:
                    generate: { type: password, length: 32 }
                    owner: { store: db }
                    targets: [ { store: keys, name: p } ]
                  q:
                    generate: { type: password, length: 32 }
                    owner: { store: db, user: "" }
                    targets: [ { store: keys, name: q } ]
                  r:
                    generate: { type: password, length: 32 }
                    owner: { store: db, user: postgres }
                    targets: [ { store: keys, name: r } ]
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of("PG_ADMIN_PASSWORD", "x"), "validate", "-m", file.toString());
        assertEquals(2, r.exit(), r.all());
        assertEquals(List.of(
                file + ":3:48: error: stores.db.port: 'port' must be a number from 1 to 65535 (e.g. port: 5432)",
                file + ":4:56: error: stores.db.sslmode: 'sslmode' must be one of disable, allow, prefer, require, "
                        + "verify-ca, verify-full (use verify-full (or at least require) anywhere but a local server)",
                file + ":9:5: error: secrets.p.owner: the owner names no postgres user: 'user' is required "
                        + "(add 'user: NAME', the user whose credential rotates)",
                file + ":13:31: error: secrets.q.owner.user: the owner names no postgres user: 'user' is required "
                        + "(add 'user: NAME', the user whose credential rotates)",
                file + ":17:31: error: secrets.r.owner.user: refusing to rotate postgres user 'postgres': it is the user "
                        + "Rotor connects as (rotating the credential Rotor connects with) (connect as another user "
                        + "that may change passwords to rotate it)",
                "error: " + file + ": 5 errors; nothing was written"), r.err().lines().toList());
    }
}
