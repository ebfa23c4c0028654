package dev.rotor.store.azurekeyvault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.testing.RotorJar;
import dev.rotor.testing.RotorRunner;

/**
 * The azure-key-vault store through the CLI: validate reports its rules at file:line:col before any request, and a
 * rotation writes the raw password and the derived database-url (MindWell's runbook step 2), reporting each Secret
 * Id, with no value, client secret or token in any output.
 */
class KeyVaultCliTest {
    @TempDir
    Path dir;

    @Test
    void validateReportsEverySettingAndTargetRuleAtItsPositionAndAKeyVaultJournal() throws IOException {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                environments:
                  dev: { vars: { vault: kv-mindwell-dev } }
                stores:
                  keys: { type: files, directory: keys }
                  both: { type: azure-key-vault, vault: kv-a, url: "https://kv-a.vault.azure.net" }
                  plain: { type: azure-key-vault, url: "http://kv-a.vault.azure.net/secrets" }
                  odd: { type: azure-key-vault, vault: "kv--x", client-id: not-a-guid }
                  later: { type: azure-key-vault, vault: "${vars.vault}" }
                secrets:
                  api-token:
                    generate: { type: uuid }
                    journal: later
                    targets:
                      - { store: keys, name: api-token }
                      - { store: later, name: api_token, tags: { owner: [a, b] }, content-type: 7 }
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(2, r.exit(), r.all());
        List<String> errors = r.err().lines().filter(l -> l.contains(": error: "))
                .map(l -> l.substring(l.indexOf(':') + 1))
                .map(l -> l.replaceAll("\\(types that can: [^)]*\\)", "(types that can: ...)")) // grows with providers
                .toList();
        String docs = " (see docs/azure-key-vault.md for the settings of an azure-key-vault store)";
        assertEquals(List.of(
                "6:52: error: stores.both.url: set either vault (its name) or url (its full URL), not both" + docs,
                "7:40: error: stores.plain.url: url must be a vault's https URL such as https://NAME.vault.azure.net "
                        + "(Key Vault takes bearer tokens over https only)" + docs,
                "8:40: error: stores.odd.vault: 'kv--x' is not a Key Vault name (3-24 letters, digits and single "
                        + "hyphens, starting with a letter; for a full URL use url:)" + docs,
                "8:60: error: stores.odd.client-id: client-id must be the client id (a GUID) of a user-assigned "
                        + "managed identity" + docs,
                "13:14: error: secrets.api-token.journal: store 'later' (type azure-key-vault) cannot hold a journal: it "
                        + "must be readable, keep a pending value apart and refuse a stale write (compare-and-set) (add "
                        + "a target on a readable store or set 'journal: STORE' naming one (types that can: ...))",
                "16:31: error: secrets.api-token.targets[1].name: target name 'api_token' is not valid for store 'later' "
                        + "(type azure-key-vault) in environment 'dev': a Key Vault secret name is 1-127 letters, digits "
                        + "and hyphens",
                "16:57: error: secrets.api-token.targets[1].tags.owner: tag 'owner' must have a text value" + docs,
                "16:81: error: secrets.api-token.targets[1].content-type: content-type must be text, e.g. text/plain" + docs),
                errors, r.err());
    }

    @Test
    void validateOfAKeyVaultManifestLoadsNoClassOfTheAzureSdk() throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                stores:
                  keyvault: { type: azure-key-vault, vault: kv-mindwell-dev }
                  keys: { type: files, directory: keys }
                secrets:
                  api-token:
                    generate: { type: uuid }
                    targets:
                      - { store: keys, name: api-token }
                      - { store: keyvault, name: api-token, tags: { owner: platform } }
                """);
        RotorRunner.Result validated = RotorJar.classes("validate", "-m", file.toString()).jvm("-Xlog:class+load=info")
                .run();
        String output = validated.all();
        assertEquals(0, validated.exit(), output);
        assertTrue(output.contains("dev.rotor.store.azurekeyvault.AzureKeyVaultProvider"), "the provider was loaded");
        List<String> sdk = output.lines().filter(l -> l.contains(" com.azure.") || l.contains(" com.microsoft.aad.")
                || l.contains(" reactor.")).toList();
        assertEquals(List.of(), sdk);
    }

    @Test
    void aRotationWritesTheRawAndTheDerivedSecretAndReportsEachSecretId() throws IOException {
        try (KeyVaultDouble vault = new KeyVaultDouble()) {
            vault.put("postgres-admin-password", "password-before-rotation", null, Map.of("owner", "platform"));
            Path file = dir.resolve("rotation.yml");
            Files.writeString(file, """
                    version: 1
                    environments:
                      dev: { vars: { vault: %s, server: pgflex-mindwell-dev } }
                    stores:
                      keyvault: { type: azure-key-vault, vault: "${vars.vault}", ca-bundle: "%s" }
                      keys: { type: files, directory: keys }
                    secrets:
                      postgres-admin-password:
                        generate: { type: password, length: 32 }
                        journal: keys
                        targets:
                          - { store: keyvault, name: postgres-admin-password, tags: { rotated-by: rotor } }
                          - { store: keyvault, name: database-url, content-type: text/plain,
                              value: "postgresql+asyncpg://mindwelladmin:${secret.url}@${vars.server}.postgres.database.azure.com:5432/mindwell_app?sslmode=require" }
                    """.formatted(vault.vaultName, KeyVaultDouble.caBundle()));
            Path report = dir.resolve("report.json");
            Path audit = dir.resolve("audit.log");
            RotorRunner.Result r = RotorRunner.run(vault.env(), "rotate", "-m", file.toString(), "-e", "dev",
                    "--report", report.toString(), "--audit-log", audit.toString());
            assertEquals(0, r.exit(), r.all());

            String password = vault.latest("postgres-admin-password").orElseThrow().value();
            assertEquals(32, password.length());
            assertEquals(Map.of("owner", "platform", "rotated-by", "rotor"),
                    vault.latest("postgres-admin-password").orElseThrow().tags());
            KeyVaultDouble.Version url = vault.latest("database-url").orElseThrow();
            assertEquals("postgresql+asyncpg://mindwelladmin:" + java.net.URLEncoder.encode(password,
                    java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "@pgflex-mindwell-dev.postgres.database"
                    + ".azure.com:5432/mindwell_app?sslmode=require", url.value());
            assertEquals("text/plain", url.contentType());

            JsonNode targets = new ObjectMapper().readTree(report.toFile()).findValue("targets");
            List<String> versions = new java.util.ArrayList<>();
            targets.forEach(t -> versions.add(t.path("version").asText()));
            assertEquals(List.of(vault.latest("postgres-admin-password").orElseThrow().id(), url.id()), versions);
            String auditLog = Files.readString(audit);
            assertTrue(auditLog.contains(vault.latest("postgres-admin-password").orElseThrow().id())
                    && auditLog.contains(url.id()), auditLog);

            String all = r.all() + Files.readString(report) + auditLog;
            for (String secret : List.of(password, "password-before-rotation", KeyVaultDouble.CLIENT_SECRET,
                    KeyVaultDouble.ACCESS_TOKEN)) {
                assertFalse(all.contains(secret), "output carries a value or credential: " + all);
            }
            assertTrue(r.all().contains("postgres-admin-password"), r.all());
        }
    }
}
