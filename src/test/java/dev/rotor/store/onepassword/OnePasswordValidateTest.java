package dev.rotor.store.onepassword;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rotor.testing.RotorRunner;

/**
 * `rotor validate` reports every onepassword rule at its position before any request, refuses a onepassword journal
 * (Connect cannot refuse a stale write) and accepts the layout docs/onepassword.md recommends: the journal in a store
 * that can compare and set, 1Password the first target.
 */
class OnePasswordValidateTest {
    @TempDir
    Path dir;

    @Test
    void everyRuleIsReportedAtItsPositionAndAOnePasswordJournalIsRefused() throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                environments:
                  dev: { vars: { vault: MindWell, host: "http://op-connect:8080" } }
                stores:
                  keys: { type: files, directory: keys }
                  op: { type: onepassword, host: "op-connect:8080", token: "${env:OP_CONNECT_TOKEN}", vault: MindWell }
                  op-v1: { type: onepassword, host: "http://op-connect:8080/v1/", token: "${env:OP_CONNECT_TOKEN}", vault: " " }
                  later: { type: onepassword, host: "${vars.host}", token: "${env:OP_CONNECT_TOKEN}", vault: "${vars.vault}" }
                  literal: { type: onepassword, host: "http://op-connect:8080", token: "eyJhbGciOiJFUzI1NiJ9.literal", vault: MindWell }
                secrets:
                  db-password:
                    generate: { type: password, length: 32 }
                    journal: op
                    targets:
                      - { store: op, item: "MindWell ${env} Postgres Admin", name: password, category: wallet }
                      - { store: later, name: password, section: "" }
                      - { store: keys, name: db.txt }
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(2, r.exit(), r.all());
        // The journal hint lists every registered type that can hold a journal; the list grows with providers.
        List<String> errors = r.err().lines().filter(l -> l.contains(": error: "))
                .map(l -> l.substring(l.indexOf(':') + 1).replaceFirst("\\(types that can: [^)]*\\)", "(types that can: …)"))
                .toList();
        String docs = " (see docs/onepassword.md for the settings of a onepassword store)";
        assertEquals(List.of(
                "6:34: error: stores.op.host: host must be the http(s) URL of a 1Password Connect server, such as "
                        + "http://op-connect:8080 (without /v1)" + docs,
                "7:37: error: stores.op-v1.host: host is the Connect server's URL without /v1 (Rotor adds the API path)"
                        + docs,
                "7:108: error: stores.op-v1.vault: vault is empty: name the 1Password vault by its name or id" + docs,
                "9:72: error: stores.literal.token: 'token' holds a credential and must not be written in the manifest "
                        + "(reference an environment variable: 'token: ${env:TOKEN}')",
                "13:14: error: secrets.db-password.journal: store 'op' (type onepassword) cannot hold a journal: it must "
                        + "be readable, keep a pending value apart and refuse a stale write (compare-and-set) (add a target "
                        + "on a readable store or set 'journal: STORE' naming one (types that can: …))",
                "15:88: error: secrets.db-password.targets[0].category: category 'wallet' is not an item category "
                        + "Connect can create (use one of PASSWORD (default), LOGIN, DATABASE, API_CREDENTIAL, SERVER, "
                        + "SECURE_NOTE)",
                "16:9: error: secrets.db-password.targets[1].item: missing key 'item' for a target of a onepassword "
                        + "store (add 'item:')",
                "16:50: error: secrets.db-password.targets[1].section: section is empty: give the label of the item's "
                        + "section, or leave section out"),
                errors, r.err());
        assertFalse(r.all().contains("eyJhbGciOiJFUzI1NiJ9.literal"), "a literal credential is never echoed");
    }

    @Test
    void aJournalThatCanCompareAndSetWithOnePasswordAsTheFirstTargetIsValid() throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                environments:
                  dev: {}
                stores:
                  onepassword: { type: onepassword, host: "https://op-connect.mindwell.internal", token: "${env:OP_CONNECT_TOKEN}", vault: MindWell }
                  journal: { type: vault-kv, address: "https://vault.mindwell.internal:8200", token: "${env:VAULT_TOKEN}" }
                  keys: { type: files, directory: keys }
                secrets:
                  postgres-admin-password:
                    generate: { type: password, length: 32 }
                    journal: journal
                    targets:
                      - { store: onepassword, item: "MindWell ${env} Postgres Admin", name: password, category: database }
                      - { store: keys, name: "postgres-${env}.txt" }
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(0, r.exit(), r.all());
    }
}
