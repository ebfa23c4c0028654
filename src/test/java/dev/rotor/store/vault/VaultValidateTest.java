package dev.rotor.store.vault;

import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** `rotor validate` reports every vault-kv setting rule at its position, before any request (it used to wait for plan). */
class VaultValidateTest {
    @TempDir
    Path dir;

    @Test
    void everySettingRuleIsReportedAtItsPositionAndTemplatesWaitForPlan() throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                environments:
                  prod: { vars: { vault: "https://vault.example.com:8200" } }
                stores:
                  keys: { type: files, directory: keys }
                  bad: { type: vault-kv, address: "vault.example.com", mount: "a//b", token: "${env:T}", role: r }
                  oidc: { type: vault-kv, address: "https://v:8200", auth: oidc }
                  later: { type: vault-kv, address: "${vars.vault}", token: "${env:T}" }
                  from-env: { type: vault-kv, token: "${env:T}" }
                secrets:
                  api-token:
                    generate: { type: uuid }
                    targets:
                      - { store: keys, name: api-token }
                      - { store: later, path: app/prod, name: API_TOKEN }
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(2, r.exit(), r.all());
        List<String> errors = r.err().lines().filter(l -> l.contains(": error: "))
                .map(l -> l.substring(l.indexOf(':') + 1)).toList();
        String docs = " (see docs/vault.md for the settings of a vault-kv store)";
        assertEquals(List.of(
                "6:35: error: stores.bad.address: address must be an http(s) URL such as https://vault.example.com:8200" + docs,
                "6:63: error: stores.bad.mount: mount 'a//b' is not a Vault mount path" + docs,
                "6:96: error: stores.bad.role: role, auth-mount and audience belong to auth: github-oidc" + docs,
                "7:60: error: stores.oidc.auth: auth must be github-oidc (or leave it out and set token)" + docs),
                errors, r.err());
    }
}
