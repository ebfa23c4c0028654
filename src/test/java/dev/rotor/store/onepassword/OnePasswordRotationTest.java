package dev.rotor.store.onepassword;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.testing.RotorRunner;

/**
 * The CLI end to end with 1Password as the first target of the MindWell password: the item is created by the first
 * rotation and changed field by field after that, its other fields kept; the journal is a store that can refuse a
 * stale write (here files), and a crash before 1Password was written is resumed with the journaled value.
 */
class OnePasswordRotationTest {
    private static final String MANIFEST = """
            version: 1
            environments:
              dev: {}
            stores:
              onepassword: { type: onepassword, host: "%s", token: "${env:OP_CONNECT_TOKEN}", vault: MindWell }
              keys: { type: files, directory: keys }
            secrets:
              postgres-admin-password:
                generate: { type: password, length: 32 }
                journal: keys
                targets:
                  - { store: onepassword, item: "MindWell ${env} Postgres Admin", name: password }
                  - { store: onepassword, item: "MindWell ${env} Postgres Admin", section: Connection, name: database-url,
                      value: "postgresql://mindwelladmin:${secret.url}@pgflex-mindwell-${env}:5432/mindwell_app?sslmode=require" }
                  - { store: keys, name: "postgres-${env}.txt" }
            """;
    private static final String TITLE = "MindWell dev Postgres Admin";

    @TempDir
    Path dir;
    private ConnectDouble connect;
    private String vaultId;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        connect = new ConnectDouble();
        vaultId = connect.vault("MindWell");
        Files.writeString(dir.resolve("rotation.yml"), MANIFEST.formatted(connect.url()));
        env.put("OP_CONNECT_TOKEN", ConnectDouble.TOKEN);
    }

    @AfterEach
    void stop() {
        connect.close();
    }

    private RotorRunner.Result run(StepHook hook, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--manifest", dir.resolve("rotation.yml").toString()));
        return RotorRunner.run(env, Clock.systemUTC(), hook, all.toArray(String[]::new));
    }

    private String value(String label) {
        return connect.value(vaultId, TITLE, label).orElseThrow();
    }

    private JsonNode journal() throws IOException {
        return new ObjectMapper().readTree(dir.resolve("keys/.rotor/journal/postgres-admin-password.dev.json").toFile());
    }

    private void assertNoSecretIn(RotorRunner.Result result, String... values) {
        assertFalse(result.all().contains(ConnectDouble.TOKEN), "the Connect token never reaches the output");
        for (String value : values) {
            assertFalse(result.all().contains(value), "no value in the output");
        }
    }

    @Test
    void theFirstRotationCreatesTheItemAndTheNextChangesItsFieldsKeepingTheOthers() throws IOException {
        RotorRunner.Result first = run(StepHook.NONE, "rotate", "-e", "dev", "--run-id", "one");
        assertEquals(0, first.exit(), first.all());
        String password = Files.readString(dir.resolve("keys/postgres-dev.txt"));
        assertEquals(password, value("password"));
        String url = value("database-url");
        String start = "postgresql://mindwelladmin:";
        String end = "@pgflex-mindwell-dev:5432/mindwell_app?sslmode=require";
        assertTrue(url.startsWith(start) && url.endsWith(end), "the derived URL, not printed");
        assertEquals(password, URLDecoder.decode(url.substring(start.length(), url.length() - end.length()),
                StandardCharsets.UTF_8));
        ObjectNode item = connect.itemTitled(vaultId, TITLE).orElseThrow();
        assertEquals("PASSWORD", item.path("category").asText());
        assertEquals("Connection", item.path("sections").get(0).path("label").asText());
        assertEquals(1, connect.count("POST"), "one item created");
        assertEquals(1, connect.count("PUT"), "the whole item written once, to add the section Connection");
        assertNoSecretIn(first, password);

        connect.addField(vaultId, TITLE, "owner", "platform-team");
        RotorRunner.Result second = run(StepHook.NONE, "rotate", "-e", "dev", "--run-id", "two");
        assertEquals(0, second.exit(), second.all());
        String next = Files.readString(dir.resolve("keys/postgres-dev.txt"));
        assertNotEquals(password, next);
        assertEquals(next, value("password"));
        assertEquals(next, journal().path("current").asText());
        assertEquals(password, journal().path("previous").asText());
        assertEquals(1, connect.countTitled(vaultId, TITLE));
        assertEquals(1, connect.count("POST"));
        assertEquals(1, connect.count("PUT"), "fields of an item that has their section are patched one by one");
        assertEquals("platform-team", value("owner"), "a field added in 1Password between rotations is kept");
        assertNoSecretIn(second, password, next);

        RotorRunner.Result status = run(StepHook.NONE, "status", "-e", "dev");
        assertEquals(0, status.exit(), status.all());
        assertTrue(status.out().contains("postgres-admin-password"), status.all());
        assertNoSecretIn(status, password, next);
    }

    @Test
    void aCrashBeforeOnePasswordWasWrittenIsResumedWithTheJournaledValue() throws IOException {
        StepHook crash = (unit, step) -> {
            if (step == Step.PENDING) {
                throw new RotorRunner.Crash(step.label());
            }
        };
        assertThrows(RotorRunner.Crash.class, () -> run(crash, "rotate", "-e", "dev", "--run-id", "crashed"));
        String pending = journal().path("pending").asText(null);
        assertNotEquals(null, pending);
        assertTrue(connect.itemTitled(vaultId, TITLE).isEmpty(), "nothing reached 1Password before the crash");

        RotorRunner.Result resumed = run(StepHook.NONE, "rotate", "-e", "dev", "--resume", "--run-id", "crashed");
        assertEquals(0, resumed.exit(), resumed.all());
        assertEquals(pending, value("password"));
        assertEquals(pending, Files.readString(dir.resolve("keys/postgres-dev.txt")));
        assertEquals(pending, journal().path("current").asText());
        assertNoSecretIn(resumed, pending);
    }

    @Test
    void aTokenWithoutAccessToTheVaultRefusesTheRunBeforeAnythingIsWritten() throws IOException {
        env.put("OP_CONNECT_TOKEN", "a-token-for-another-server-0005");
        RotorRunner.Result refused = run(StepHook.NONE, "rotate", "-e", "dev", "--run-id", "refused");
        assertEquals(4, refused.exit(), refused.all());
        assertTrue(refused.all().contains("store 'onepassword' (onepassword): 1Password Connect " + connect.url()
                + " refused the store's token to read the vaults (401: Invalid token signature)"), refused.all());
        assertFalse(refused.all().contains("a-token-for-another-server-0005"));
        assertFalse(Files.exists(dir.resolve("keys/postgres-dev.txt")));
        assertEquals(0, connect.count("POST") + connect.count("PATCH") + connect.count("PUT"));
    }
}
