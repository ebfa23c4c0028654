package dev.rotor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.testing.RotorJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise 1 with a real crash: the jar's process is killed with SIGKILL while it verifies (after the owner step and
 * every target write), and a re-run finishes with the value journaled before the kill; another run meanwhile is
 * refused by the lease.
 */
class KilledProcessIT {
    @TempDir
    Path dir;

    @Test
    void aKilledRotationIsFinishedByItsReRunWithTheSameValue() throws Exception {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  app-env: { type: dotenv, path: app.env }
                secrets:
                  db-password:
                    generate: { type: password, length: 32 }
                    targets:
                      - { store: keys, name: db-password }
                      - { store: app-env, name: DATABASE_URL, value: "postgresql://app:${secret.url}@db/app" }
                    verify:
                      - command: 'test -f go || { touch in-verify; sleep 60; }'
                """);
        Files.writeString(dir.resolve("go"), "");
        assertEquals(0, rotor("first").exit());
        String before = Files.readString(dir.resolve("keys/db-password"));
        Files.delete(dir.resolve("go"));

        rotor("doomed").killOnceExists(dir.resolve("in-verify"), "the rotation reached its verify step");
        String pending = journal().get("pending").asText();
        assertNotEquals(before, pending);
        assertEquals(pending, Files.readString(dir.resolve("keys/db-password")), "the kill came after distribute");

        Files.writeString(dir.resolve("go"), "");
        assertEquals(4, rotor("intruder").exit(), "another run is refused while the killed run's lease lives");
        assertEquals(0, rotor("doomed").exit(), "the same run resumes at once");
        assertEquals(pending, Files.readString(dir.resolve("keys/db-password")));
        assertTrue(Files.readString(dir.resolve("app.env")).contains("postgresql://app:"));
        assertEquals(pending, journal().get("current").asText());
        assertEquals(before, journal().get("previous").asText());
        assertTrue(journal().path("pending").isMissingNode());
    }

    private JsonNode journal() throws Exception {
        return new ObjectMapper().readTree(dir.resolve("keys/.rotor/journal/db-password.json").toFile());
    }

    private RotorJar.Running rotor(String runId) throws Exception {
        return RotorJar.rotate(dir, runId);
    }
}
