package dev.rotor.store.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.testing.RotorRunner;

/**
 * The CLI end to end in GitHub Actions: a Vault field and a files target, journaled in Vault (so no warning of a
 * journal on the runner's disk), and a crash after distributing resumed by a re-run with the journaled value.
 */
class VaultRotationTest {
    private static final String MANIFEST = """
            version: 1
            environments:
              prod: {}
            stores:
              vault: { type: vault-kv, address: "%s", mount: secret, token: "${env:ROTOR_VAULT_TOKEN}" }
              keys: { type: files, directory: keys }
            secrets:
              db-password:
                generate: { type: password, length: 32 }
                journal: vault
                targets:
                  - { store: vault, path: "mutt/${env}", name: DB_PASS_NEXT }
                  - { store: keys, name: "db-${env}.txt" }
            """;

    @TempDir
    Path dir;
    private VaultDouble vault;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        vault = new VaultDouble();
        vault.put("secret/mutt/prod", "DB_USER", "mutt");
        vault.put("secret/mutt/prod", "DB_PASS_CURRENT", "current-before-rotation");
        Files.writeString(dir.resolve("rotation.yml"), MANIFEST.formatted(vault.url()));
        env.put("ROTOR_VAULT_TOKEN", VaultDouble.ROOT_TOKEN);
        env.put("GITHUB_ACTIONS", "true");
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private RotorRunner.Result run(StepHook hook, String runId) {
        return RotorRunner.run(env, Clock.systemUTC(), hook, "rotate", "-e", "prod", "--run-id", runId,
                "--manifest", dir.resolve("rotation.yml").toString());
    }

    private JsonNode journal() throws IOException {
        return new ObjectMapper().readTree(vault.field("secret/rotor/journal/db-password.prod", "journal").orElseThrow());
    }

    @Test
    void aRotationJournaledInVaultWritesTheFieldKeepsItsNeighboursAndWarnsOfNoRunnerDisk() throws IOException {
        RotorRunner.Result result = run(StepHook.NONE, "one");
        assertEquals(0, result.exit(), result.all());
        String value = Files.readString(dir.resolve("keys/db-prod.txt"));
        assertEquals(value, vault.field("secret/mutt/prod", "DB_PASS_NEXT").orElseThrow());
        assertEquals("mutt", vault.field("secret/mutt/prod", "DB_USER").orElseThrow());
        assertEquals("current-before-rotation", vault.field("secret/mutt/prod", "DB_PASS_CURRENT").orElseThrow());
        assertEquals(value, journal().path("current").asText());
        assertFalse(result.all().contains("runner's disk"), result.all());
        assertTrue(result.out().contains("::add-mask::" + value), "masked first");
        assertFalse(result.all().replace("::add-mask::" + value, "").contains(value), "no value in any other output");
        assertFalse(result.all().contains(VaultDouble.ROOT_TOKEN));
        assertFalse(Files.exists(dir.resolve("keys/.rotor/journal")), "the journal is not on the runner's disk");

        RotorRunner.Result validate = RotorRunner.run(env, "validate", "--manifest", dir.resolve("rotation.yml").toString());
        assertEquals(0, validate.exit(), validate.all());
        assertFalse(validate.all().contains("runner's disk"), validate.all());
    }

    @Test
    void aCrashAfterDistributingIsResumedWithTheValueJournaledInVault() throws IOException {
        assertEquals(0, run(StepHook.NONE, "first").exit());
        String before = Files.readString(dir.resolve("keys/db-prod.txt"));
        StepHook crash = (unit, step) -> {
            if (step == Step.DISTRIBUTE) {
                throw new RotorRunner.Crash(step.label());
            }
        };
        assertThrows(RotorRunner.Crash.class, () -> run(crash, "second"));
        String pending = journal().path("pending").asText(null);
        assertNotEquals(null, pending);
        assertNotEquals(before, pending);

        RotorRunner.Result refused = run(StepHook.NONE, "third");
        assertEquals(4, refused.exit(), "the lease in Vault keeps another run out: " + refused.all());

        RotorRunner.Result resumed = run(StepHook.NONE, "second");
        assertEquals(0, resumed.exit(), resumed.all());
        assertEquals(pending, Files.readString(dir.resolve("keys/db-prod.txt")));
        assertEquals(pending, vault.field("secret/mutt/prod", "DB_PASS_NEXT").orElseThrow());
        assertEquals(pending, journal().path("current").asText());
        assertEquals(before, journal().path("previous").asText());
        assertTrue(journal().path("pending").isNull() || journal().path("pending").isMissingNode());
        assertEquals("mutt", vault.field("secret/mutt/prod", "DB_USER").orElseThrow());
    }
}
