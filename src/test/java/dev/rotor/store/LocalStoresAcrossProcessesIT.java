package dev.rotor.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.testing.RotorJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real processes (the packaged jar) at once on the local stores: each store write holds an OS file lock, which
 * only a second process can contend. Passwords use the default symbols, which URL encoding leaves as they are, so a
 * derived line holds the key file's value literally.
 */
class LocalStoresAcrossProcessesIT {
    private static final int ROUNDS = 20;

    @TempDir
    Path dir;

    /** Rotations of two secrets writing derived values into one .env file: neither update is lost. */
    @Test
    void twoRunsOnDifferentSecretsSharingADotenvFileBothLand() throws Exception {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  app-env: { type: dotenv, path: app.env }
                secrets:
                  postgres-app-user-password:
                    generate: { type: password, length: 24 }
                    targets:
                      - { store: keys, name: postgres-app-user-password }
                      - { store: app-env, name: DATABASE_URL, value: "postgresql://app:${secret.url}@db/app" }
                      - { store: app-env, name: DATABASE_PASSWORD }
                      - { store: app-env, name: PGPASSWORD }
                  redis-password:
                    generate: { type: password, length: 24 }
                    targets:
                      - { store: keys, name: redis-password }
                      - { store: app-env, name: REDIS_URL, value: "redis://:${secret.url}@cache:6379/0" }
                      - { store: app-env, name: REDIS_PASSWORD }
                      - { store: app-env, name: REDISCLI_AUTH }
                """);
        for (int round = 1; round <= ROUNDS; round++) {
            RotorJar.Running postgres = rotor("pg-" + round, "-s", "postgres-app-user-password");
            RotorJar.Running redis = rotor("redis-" + round, "-s", "redis-password");
            assertEquals(0, postgres.exit(), postgres.output());
            assertEquals(0, redis.exit(), redis.output());
            String pg = Files.readString(dir.resolve("keys/postgres-app-user-password"));
            String rd = Files.readString(dir.resolve("keys/redis-password"));
            List<String> env = Files.readAllLines(dir.resolve("app.env"));
            String where = "round " + round + ": " + String.join(" | ", env.stream().map(l -> l.replaceAll("=.*", "=…")).toList());
            assertTrue(env.contains("DATABASE_URL=postgresql://app:" + pg + "@db/app"), where);
            assertTrue(env.contains("DATABASE_PASSWORD=" + pg), where);
            assertTrue(env.contains("PGPASSWORD=" + pg), where);
            assertTrue(env.contains("REDIS_URL=redis://:" + rd + "@cache:6379/0"), where);
            assertTrue(env.contains("REDIS_PASSWORD=" + rd), where);
            assertTrue(env.contains("REDISCLI_AUTH=" + rd), where);
            assertEquals(6, env.size(), where);
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList());
        }
    }

    /** Promise 10 between processes: two runs of one secret at once never interleave; the journal tells one story. */
    @Test
    void twoRunsOfOneSecretAtOnceNeverInterleave() throws Exception {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  app-env: { type: dotenv, path: app.env }
                secrets:
                  db-password:
                    generate: { type: password, length: 24 }
                    targets:
                      - { store: keys, name: db-password }
                      - { store: app-env, name: DATABASE_URL, value: "postgresql://app:${secret.url}@db/app" }
                """);
        int refused = 0;
        for (int round = 1; round <= ROUNDS / 2; round++) {
            RotorJar.Running one = rotor("one-" + round);
            RotorJar.Running two = rotor("two-" + round);
            int first = one.exit();
            int second = two.exit();
            assertTrue(first == 0 || first == 4, one.output());
            assertTrue(second == 0 || second == 4, two.output());
            assertTrue(first == 0 || second == 0, "round " + round + ": one of them rotates");
            refused += (first == 4 ? 1 : 0) + (second == 4 ? 1 : 0);
            if (first == 4) {
                assertTrue(one.output().contains("run two-" + round), "exit 4 names the other run: " + one.output());
            }
            if (second == 4) {
                assertTrue(two.output().contains("run one-" + round), "exit 4 names the other run: " + two.output());
            }
            for (RotorJar.Running run : List.of(one, two)) {
                assertFalse(run.output().contains("Exception"), run.output());
            }
            JsonNode journal = new ObjectMapper().readTree(dir.resolve("keys/.rotor/journal/db-password.json").toFile());
            String value = Files.readString(dir.resolve("keys/db-password"));
            assertEquals(value, journal.get("current").asText(), "round " + round);
            assertTrue(journal.path("pending").isMissingNode(), "round " + round + ": nothing left pending");
            assertEquals(List.of("DATABASE_URL=postgresql://app:" + value + "@db/app"),
                    Files.readAllLines(dir.resolve("app.env")), "round " + round);
        }
        System.out.println("two runs of one secret: " + refused + " of " + ROUNDS + " runs were refused");
    }

    private RotorJar.Running rotor(String runId, String... args) throws Exception {
        return RotorJar.rotate(dir, runId, args);
    }
}
