package dev.rotor.store.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.testing.Forms;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The api-forge runbook's password sync (ALTER ROLE) through the CLI against a real PostgreSQL: the role accepts the
 * journaled value, a crash right after ALTER ROLE is finished by the re-run with that same value, rollback restores
 * the previous password, and no password reaches any output.
 */
class PostgresRotationEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void theRoleTheFilesAndTheUrlEndWithTheJournaledValueAfterACrashAndRollbackRestores() throws Exception {
        EmbeddedServer server = EmbeddedServer.get();
        server.role("e2e_app", "initial-e2e-password-1");
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  app-env: { type: dotenv, path: app.env }
                  db: { type: postgres, host: localhost, port: %d, database: postgres, user: %s,
                        password: "${env:PG_ADMIN_PASSWORD}", sslmode: disable }
                secrets:
                  app-password:
                    generate: { type: password, length: 32 }
                    owner: { store: db, user: e2e_app }
                    targets:
                      - { store: keys, name: postgres_app_user_pw.txt }
                      - { store: app-env, name: DATABASE_URL,
                          value: "postgresql://e2e_app:${secret.url}@localhost:%d/postgres" }
                """.formatted(server.port(), EmbeddedServer.ADMIN, server.port()));
        Map<String, String> env = Map.of("PG_ADMIN_PASSWORD", EmbeddedServer.ADMIN_PASSWORD);
        String manifest = dir.resolve("rotation.yml").toString();

        StepHook crashAfterAlterRole = (unit, step) -> {
            if (step == Step.OWNER) {
                throw new RotorRunner.Crash("owner");
            }
        };
        assertThrows(RotorRunner.Crash.class, () -> RotorRunner.run(env, Clock.systemUTC(), crashAfterAlterRole,
                "rotate", "-m", manifest, "--run-id", "r1"));
        String pending = new ObjectMapper().readTree(dir.resolve("keys/.rotor/journal/app-password.json").toFile())
                .get("pending").asText();
        assertTrue(server.loginWorks("e2e_app", pending), "ALTER ROLE ran before the crash");
        assertFalse(server.loginWorks("e2e_app", "initial-e2e-password-1"));

        RotorRunner.Result resumed = RotorRunner.run(env, "rotate", "-m", manifest, "--run-id", "r1");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(pending, Files.readString(dir.resolve("keys/postgres_app_user_pw.txt")));
        assertTrue(Files.readString(dir.resolve("app.env")).contains("postgresql://e2e_app:"
                + Forms.url(pending) + "@localhost:"));
        assertTrue(server.loginWorks("e2e_app", pending));

        RotorRunner.Result second = RotorRunner.run(env, "rotate", "-m", manifest);
        assertEquals(0, second.exit(), second.err());
        String newest = Files.readString(dir.resolve("keys/postgres_app_user_pw.txt"));
        assertNotEquals(pending, newest);
        assertTrue(server.loginWorks("e2e_app", newest));

        RotorRunner.Result rollback = RotorRunner.run(env, "rollback", "-m", manifest, "--secret", "app-password");
        assertEquals(0, rollback.exit(), rollback.err());
        assertTrue(server.loginWorks("e2e_app", pending));
        assertFalse(server.loginWorks("e2e_app", newest));
        assertEquals(pending, Files.readString(dir.resolve("keys/postgres_app_user_pw.txt")));

        for (RotorRunner.Result r : new RotorRunner.Result[]{resumed, second, rollback}) {
            for (String secret : new String[]{pending, newest, EmbeddedServer.ADMIN_PASSWORD}) {
                assertFalse(r.all().contains(secret), "no password in any output");
            }
        }
        assertFalse(Files.readString(server.log()).contains(newest), "the server's statement log never saw it");
    }

    /** The api-forge schema owner: NOLOGIN, yet its password is rotated (ALTER ROLE works on it). */
    @Test
    void aNologinSchemaOwnerRotatesWithItsLoginTestSkipped() throws Exception {
        EmbeddedServer server = EmbeddedServer.get();
        server.role("app_owner", "owner-initial-pw-Qe5");
        server.sql("ALTER ROLE app_owner NOLOGIN");
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  db: { type: postgres, host: localhost, port: %d, database: postgres, user: %s,
                        password: "${env:PG_ADMIN_PASSWORD}", sslmode: disable }
                secrets:
                  app-owner-password:
                    generate: { type: password, length: 32 }
                    owner: { store: db, user: app_owner }
                    targets:
                      - { store: keys, name: postgres_app_owner_pw.txt }
                """.formatted(server.port(), EmbeddedServer.ADMIN));
        RotorRunner.Result r = RotorRunner.run(Map.of("PG_ADMIN_PASSWORD", EmbeddedServer.ADMIN_PASSWORD), "rotate",
                "-m", dir.resolve("rotation.yml").toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.err().contains("  owner db: login test skipped: role 'app_owner' has NOLOGIN, so no login can be "
                + "tested\n"), r.err());
        String rotated = Files.readString(dir.resolve("keys/postgres_app_owner_pw.txt"));
        assertFalse(r.all().contains(rotated), "no password in any output");

        server.sql("ALTER ROLE app_owner LOGIN");
        assertTrue(server.loginWorks("app_owner", rotated), "the role's password is the one in the file");
        assertFalse(server.loginWorks("app_owner", "owner-initial-pw-Qe5"));
    }
}
