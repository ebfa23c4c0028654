package dev.rotor.cli;

import dev.rotor.store.vault.VaultDouble;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code status --drift} (issue 9): every readable copy compared with what Rotor last wrote by a keyed fingerprint,
 * never by showing a value; each copy changed by hand is named with the repair command, exit 5; {@code repair}
 * writes the journaled value back; Prometheus gets the drift gauge with the alert's label names.
 */
class DriftTest {
    @TempDir
    Path dir;
    private VaultDouble vault;
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        vault = new VaultDouble();
        env = Map.of("ROTOR_VAULT_TOKEN", VaultDouble.ROOT_TOKEN);
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                environments:
                  prod: {}
                stores:
                  keys: { type: files, directory: keys }
                  app-env: { type: dotenv, path: app.env }
                  vault: { type: vault-kv, address: "%s", mount: secret, token: "${env:ROTOR_VAULT_TOKEN}" }
                secrets:
                  db-password:
                    generate: { type: password, length: 32 }
                    targets:
                      - { store: keys, name: db-password }
                      - { store: app-env, name: DATABASE_URL, value: "postgresql://app:${secret.url}@db/app" }
                      - { store: vault, path: "app/${env}", name: DB_PASS }
                """.formatted(vault.url()));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private RotorRunner.Result rotor(String... args) {
        String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("-m", dir.resolve("rotation.yml").toString())).toArray(String[]::new);
        return RotorRunner.run(env, full);
    }

    /** A secret made by hand before Rotor: its age comes from the file, but Rotor wrote nothing to compare it with. */
    @Test
    void aSecretRotorNeverRotatedIsNotCalledFreeOfDrift() throws IOException {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                secrets:
                  db-password:
                    generate: { type: password, length: 32 }
                    max-age: 30d
                    targets:
                      - { store: keys, name: db-password }
                """);
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/db-password"), "Set-By-Hand.1234567890abcdefghij"); // meets the policy

        RotorRunner.Result status = rotor("status", "--drift");
        assertEquals(0, status.exit(), status.all());
        List<String> lines = status.out().lines().toList();
        assertEquals(3, lines.size(), status.out());
        assertEquals("db-password: 0.0 days old (never rotated by Rotor), DUE", lines.get(0));
        assertTrue(lines.get(1).matches("  keys:db-password: updated \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z"), lines.get(1));
        assertEquals("  drift: not checked: Rotor has not rotated it, so it wrote nothing to compare with", lines.get(2));
    }

    @Test
    void aCopyChangedByHandIsNamedWithItsRepairAndRepairWritesTheJournaledValueBack() throws IOException {
        assertEquals(0, rotor("rotate").exit());
        String value = Files.readString(dir.resolve("keys/db-password"));
        RotorRunner.Result clean = rotor("status", "--drift");
        assertEquals(0, clean.exit(), clean.all());
        assertTrue(clean.out().contains("no drift: every copy holds what Rotor wrote"), clean.out());

        vault.put("secret/app/prod", "DB_PASS", "changed-by-hand-in-vault");
        Files.writeString(dir.resolve("app.env"), "DATABASE_URL=postgresql://app:typo@db/app\nOTHER=kept\n");
        RotorRunner.Result drifted = rotor("status", "--drift");
        assertEquals(5, drifted.exit(), drifted.all());
        List<String> lines = drifted.out().lines().toList();
        assertTrue(lines.contains("  DRIFT app-env:DATABASE_URL: differs from what Rotor wrote (Rotor wrote it at "
                + lines.stream().filter(l -> l.startsWith("  DRIFT app-env")).findFirst().orElseThrow()
                .replaceAll(".*wrote it at ([^)]+)\\).*", "$1") + "): changed outside Rotor"), drifted.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  DRIFT vault:DB_PASS {path=app/prod}: differs from what "
                + "Rotor wrote")), drifted.out());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("  DRIFT keys:")), "the untouched copy agrees");
        String repair = lines.stream().filter(l -> l.startsWith("  repair: ")).findFirst().orElseThrow()
                .substring("  repair: ".length());
        assertTrue(repair.endsWith(" repair -m " + dir.resolve("rotation.yml") + " --secret db-password --environment prod"),
                repair);
        assertTrue(drifted.err().contains("drift: 2 copies disagree with the journal"), drifted.err());
        for (String secret : new String[] {value, "changed-by-hand-in-vault", "typo"}) {
            assertFalse(drifted.all().contains(secret), "no value in the output");
        }

        String[] words = repair.substring(repair.indexOf(" repair ") + 1).split(" ");
        RotorRunner.Result repaired = RotorRunner.run(env, words);
        assertEquals(0, repaired.exit(), repaired.all());
        assertTrue(repaired.out().contains("db-password (prod): repaired"), repaired.out());
        assertEquals(value, vault.field("secret/app/prod", "DB_PASS").orElseThrow());
        assertTrue(Files.readString(dir.resolve("app.env")).contains("OTHER=kept"));
        assertEquals(0, rotor("status", "--drift").exit(), "no drift after the repair");
        assertEquals(value, Files.readString(dir.resolve("keys/db-password")), "no new value was generated");
    }

    /** Reading a copy of only a key id (or user name) for drift must not make that name a mask: it stays readable. */
    @Test
    void driftKeepsKeyIdsReadableAndTheKeysMasked() throws IOException {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  app-env: { type: dotenv, path: app.env }
                secrets:
                  jwt-keys:
                    generate: { type: bytes, length: 32, encoding: base64 }
                    strategy: keyset
                    grace: 1d
                    targets:
                      - { store: keys, name: "${secret.kid}.key" }
                      - { store: app-env, name: JWT_ACTIVE_KEY_ID, value: "${secret.kid}" }
                """);
        assertEquals(0, rotor("rotate").exit());
        String key = Files.readString(dir.resolve("keys/jwt-keys-v1.key"));
        for (String[] args : new String[][] {{"status"}, {"status", "--drift"}}) {
            RotorRunner.Result status = rotor(args);
            assertEquals(0, status.exit(), status.all());
            List<String> lines = status.out().lines().toList();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("  keys:jwt-keys-v1.key: updated ")), status.out());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("  app-env:JWT_ACTIVE_KEY_ID: updated ")),
                    status.out());
            assertFalse(status.all().contains("***"), status.all());
            assertFalse(status.all().contains(key), "the key itself is never printed");
        }
    }

    @Test
    void aMissingCopyIsDriftAndPrometheusCarriesTheGaugeWithTheAlertsLabels() throws IOException {
        assertEquals(0, rotor("rotate").exit());
        Files.delete(dir.resolve("keys/db-password"));
        RotorRunner.Result metrics = rotor("status", "--drift", "--format", "prometheus", "--label",
                "secret=secret_name", "--label", "environment=namespace");
        assertEquals(5, metrics.exit(), metrics.all());
        assertTrue(metrics.out().contains("# TYPE secret_drift gauge\nsecret_drift{secret_name=\"db-password\","
                + "namespace=\"prod\"} 1"), metrics.out());
        assertTrue(metrics.out().contains("secret_age_days{secret_name=\"db-password\",namespace=\"prod\"} 0.000"),
                metrics.out());
        RotorRunner.Result text = rotor("status", "--drift");
        assertTrue(text.out().contains("  DRIFT keys:db-password: missing (Rotor wrote it at "), text.out());
    }

    @Test
    void aGithubSecretSetByHandAfterRotorWroteItIsDriftByItsUpdateTime() throws Exception {
        try (dev.rotor.github.GithubDouble github = new dev.rotor.github.GithubDouble(dev.rotor.http.Time.SYSTEM)) {
            Files.writeString(dir.resolve("rotation.yml"), """
                    version: 1
                    stores:
                      keys: { type: files, directory: keys }
                      gh: { type: github, repository: acme/web, token: "${env:ROTOR_GITHUB_TOKEN}", api-url: "%s" }
                    secrets:
                      api-token:
                        generate: { type: password, length: 32 }
                        targets:
                          - { store: keys, name: api-token }
                          - { store: gh, name: API_TOKEN }
                    """.formatted(github.url()));
            env = Map.of("ROTOR_GITHUB_TOKEN", "ghp_test_token_not_real");
            assertEquals(0, rotor("rotate").exit());
            RotorRunner.Result clean = rotor("status", "--drift");
            assertEquals(0, clean.exit(), clean.all());

            github.setByHand("/repos/acme/web/actions/secrets", "API_TOKEN", java.time.Instant.now().plusSeconds(300));
            RotorRunner.Result drifted = rotor("status", "--drift");
            assertEquals(5, drifted.exit(), drifted.all());
            assertTrue(drifted.out().lines().anyMatch(l -> l.startsWith("  DRIFT gh:API_TOKEN: updated at ")
                    && l.endsWith(": changed outside Rotor")), drifted.out());
            assertFalse(drifted.out().contains("DRIFT keys:"), drifted.out());
        }
    }
}
