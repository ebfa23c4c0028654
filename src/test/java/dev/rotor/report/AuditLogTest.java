package dev.rotor.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --audit-log}: the MindWell runbook's security-changelog step, one JSON line per rotated secret. */
class AuditLogTest {
    @TempDir
    Path dir;

    @Test
    void appendsOneLinePerRotatedSecretWithActorRunUrlTargetsAndVersions() throws Exception {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                environments: { dev: {}, prod: {} }
                stores:
                  keys: { type: files, directory: keys }
                  env: { type: dotenv, path: app.env }
                secrets:
                  api-key:
                    generate: { type: uuid }
                    targets:
                      - { store: keys, name: "api-key-${env}" }
                      - { store: env, name: "${ENV}_API_KEY" }
                """);
        Path audit = dir.resolve("logs/audit.jsonl");
        Map<String, String> env = Map.of("GITHUB_ACTOR", "octocat", "GITHUB_REPOSITORY", "acme/mindwell",
                "GITHUB_RUN_ID", "9001", "GITHUB_SERVER_URL", "https://github.example.com");
        String[] args = {"rotate", "-m", dir.resolve("rotation.yml").toString(), "--audit-log", audit.toString(),
                "--reason", "SEC-1234 quarterly rotation"};
        assertEquals(0, RotorRunner.run(env, args).exit());
        assertEquals(0, RotorRunner.run(env, args).exit(), "a re-run of the same run writes nothing, logs nothing");

        List<String> lines = Files.readAllLines(audit);
        assertEquals(2, lines.size());
        JsonNode dev = new ObjectMapper().readTree(lines.get(0));
        assertEquals("octocat", dev.get("actor").asText());
        assertEquals("https://github.example.com/acme/mindwell/actions/runs/9001", dev.get("runUrl").asText());
        assertEquals("api-key", dev.get("secret").asText());
        assertEquals("dev", dev.get("environment").asText());
        assertEquals("rotated", dev.get("outcome").asText());
        assertEquals("SEC-1234 quarterly rotation", dev.get("reason").asText(), "the runbook's ticket");
        assertTrue(dev.hasNonNull("time"));
        assertEquals("keys", dev.get("targets").get(0).get("store").asText());
        assertEquals("api-key-dev", dev.get("targets").get(0).get("name").asText());
        assertTrue(dev.get("targets").get(0).get("version").asText().matches("\\d+"), "the files store's version id");
        assertEquals("DEV_API_KEY", dev.get("targets").get(1).get("name").asText());
        assertEquals("prod", new ObjectMapper().readTree(lines.get(1)).get("environment").asText());
        String value = Files.readString(dir.resolve("keys/api-key-dev"));
        assertFalse(Files.readString(audit).contains(value));
    }
}
