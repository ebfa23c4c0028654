package dev.rotor.engine;

import dev.rotor.testing.MemoryOwnerProvider;
import dev.rotor.testing.MutableClock;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order of the strategies' steps through the CLI, with an in-memory owner and files as the copies: which user or
 * password each copy holds, what the owner accepts, and when the old credential ends (the same flows run against
 * the real PostgreSQL and Redis in StrategiesOnRealServersTest).
 */
class StrategyFlowTest {
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));

    @BeforeEach
    void reset() {
        MemoryOwnerProvider.reset();
    }

    private RotorRunner.Result rotor(String... args) {
        return rotor(Map.of(), args);
    }

    private RotorRunner.Result rotor(Map<String, String> env, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--manifest", dir.resolve("rotation.yml").toString()));
        return RotorRunner.run(env, clock, StepHook.NONE, full.toArray(String[]::new));
    }

    private String file(String name) throws IOException {
        return Files.readString(dir.resolve("keys").resolve(name));
    }

    private void manifest(String secret) throws IOException {
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  db: { type: memory-owner, several: true }
                secrets:
                """ + secret.indent(2));
    }

    private static final String ALTERNATING = """
            db-login:
              generate: { type: password, length: 24 }
              max-age: 90d
              owner: { store: db, user: backend }
              strategy: alternating-users
              grace: 10m
              targets:
                - { store: keys, name: db-password }
                - { store: keys, name: db-user, value: "${secret.username}" }
                - { store: keys, name: database-url, value: "postgresql://${secret.username}:${secret.password.url}@db/app" }
            """;

    @Test
    void alternatingUsersSwitchTheCopiesToANewUserAndRemoveTheOldOneOnlyAfterItsGrace() throws IOException {
        manifest(ALTERNATING);
        Files.writeString(dir.resolve("keys/db-password"), "set-by-hand-1");
        MemoryOwnerProvider.VALID.put("backend", new ArrayList<>(List.of("set-by-hand-1")));

        RotorRunner.Result first = rotor("rotate");
        assertEquals(0, first.exit(), first.err());
        String password = file("db-password");
        assertEquals("backend_v2", file("db-user"));
        assertEquals("postgresql://backend_v2:" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20") + "@db/app", file("database-url"));
        assertEquals(List.of(password), MemoryOwnerProvider.VALID.get("backend_v2"));
        assertEquals(List.of("set-by-hand-1"), MemoryOwnerProvider.VALID.get("backend"), "the old user keeps working");
        assertTrue(MemoryOwnerProvider.CALLS.contains("create backend_v2 like backend"), MemoryOwnerProvider.CALLS.toString());
        assertTrue(first.err().contains("username backend keeps working until 2026-11-30T10:10:00Z (grace 10m); a "
                + "later run removes it"), first.err());

        clock.advance(Duration.ofMinutes(11));
        RotorRunner.Result notDue = rotor("rotate", "--only-due");
        assertEquals(0, notDue.exit(), notDue.err());
        assertTrue(notDue.out().contains("db-login: not due"), notDue.out());
        assertNull(MemoryOwnerProvider.VALID.get("backend"), "removed by a later run although nothing was due");
        assertTrue(notDue.out().contains("removed username backend (replaced by run"), notDue.out());
        assertEquals("backend_v2", file("db-user"), "nothing else changed");

        RotorRunner.Result second = rotor("rotate");
        assertEquals(0, second.exit(), second.err());
        assertEquals("backend_v3", file("db-user"));
        assertTrue(MemoryOwnerProvider.VALID.containsKey("backend_v2"), "in grace");
    }

    @Test
    void anEmergencyRemovesTheOldUserInTheSameRunAndNeedsAReason() throws IOException {
        manifest(ALTERNATING);
        MemoryOwnerProvider.VALID.put("backend", new ArrayList<>(List.of("set-by-hand-1")));
        Files.writeString(dir.resolve("keys/db-password"), "set-by-hand-1");

        RotorRunner.Result noReason = rotor("rotate", "--emergency");
        assertEquals(2, noReason.exit());
        assertTrue(noReason.err().contains("--emergency needs --reason"), noReason.err());
        assertTrue(MemoryOwnerProvider.CALLS.isEmpty(), "refused before anything ran");

        Path report = dir.resolve("report.json");
        Path audit = dir.resolve("audit.jsonl");
        Path summary = dir.resolve("summary.md");
        RotorRunner.Result emergency = rotor(Map.of("GITHUB_STEP_SUMMARY", summary.toString()), "rotate", "--emergency",
                "--reason", "INC-42 leaked", "--report", report.toString(), "--audit-log", audit.toString());
        assertEquals(0, emergency.exit(), emergency.err());
        assertNull(MemoryOwnerProvider.VALID.get("backend"), "the old user stopped working in this run");
        assertTrue(MemoryOwnerProvider.CALLS.contains("remove backend (emergency)"), MemoryOwnerProvider.CALLS.toString());
        assertTrue(emergency.err().startsWith("run "), emergency.err());
        assertTrue(emergency.err().lines().findFirst().orElseThrow().endsWith("(emergency: no grace; every replaced "
                + "user, password and key stops working in this run)"), emergency.err());
        String json = Files.readString(report);
        assertTrue(json.contains("\"emergency\" : true") && json.contains("\"reason\" : \"INC-42 leaked\""), json);
        String line = Files.readString(audit);
        assertTrue(line.contains("\"reason\":\"INC-42 leaked\",\"emergency\":true"), line);
        assertTrue(Files.readString(summary).startsWith("### Rotor rotate (emergency)\n\nReason: INC-42 leaked\n"),
                Files.readString(summary));
    }

    @Test
    void aRotationRefusesToReuseAUserStillInItsGrace() throws IOException {
        manifest(ALTERNATING.replace("owner: { store: db, user: backend }",
                "owner: { store: db, user: backend_blue, alternate-with: backend_green }"));
        MemoryOwnerProvider.VALID.put("backend_blue", new ArrayList<>(List.of("set-by-hand-1")));
        Files.writeString(dir.resolve("keys/db-password"), "set-by-hand-1");
        assertEquals(0, rotor("rotate").exit());
        assertEquals("backend_green", file("db-user"));

        clock.advance(Duration.ofMinutes(2));
        RotorRunner.Result refused = rotor("rotate");
        assertEquals(4, refused.exit(), refused.err());
        assertTrue(refused.err().contains("the next username 'backend_blue' is still in its grace period until "
                + "2026-11-30T10:10:00Z"), refused.err());
        assertEquals("backend_green", file("db-user"), "nothing changed");

        clock.advance(Duration.ofMinutes(10));
        RotorRunner.Result after = rotor("rotate");
        assertEquals(0, after.exit(), after.err());
        assertEquals("backend_blue", file("db-user"), "after its grace the user is removed, then created again");
        assertTrue(MemoryOwnerProvider.CALLS.indexOf("remove backend_blue")
                < MemoryOwnerProvider.CALLS.indexOf("create backend_blue like backend_green"), MemoryOwnerProvider.CALLS.toString());
    }

    @Test
    void rollingBackGoesBackToThePreviousUserCreatingItAgainWhenItWasRemoved() throws IOException {
        manifest(ALTERNATING.replace("  grace: 10m\n", ""));
        MemoryOwnerProvider.VALID.put("backend", new ArrayList<>(List.of("set-by-hand-1")));
        Files.writeString(dir.resolve("keys/db-password"), "set-by-hand-1");
        RotorRunner.Result rotated = rotor("rotate");
        assertEquals(0, rotated.exit(), rotated.err() + rotated.out());
        assertNull(MemoryOwnerProvider.VALID.get("backend"), "no grace: removed at once");

        RotorRunner.Result rollback = rotor("rollback", "--secret", "db-login");
        assertEquals(0, rollback.exit(), rollback.err());
        assertEquals("backend", file("db-user"));
        assertEquals("set-by-hand-1", file("db-password"));
        assertEquals(List.of("set-by-hand-1"), MemoryOwnerProvider.VALID.get("backend"));
        assertTrue(MemoryOwnerProvider.CALLS.contains("create backend like backend_v2"), MemoryOwnerProvider.CALLS.toString());
        assertNull(MemoryOwnerProvider.VALID.get("backend_v2"), "the rolled-back user is removed (grace 0)");
    }

    private static final String DUAL = """
            db-pass:
              generate: { type: password, length: 24 }
              owner: { store: db, user: mutt }
              strategy: dual-password
              prepare-next: true
              targets:
                - { store: keys, name: DB_PASS_CURRENT }
                - { store: keys, name: DB_PASS_NEXT, slot: next }
            """;

    @Test
    void dualPasswordWritesNextFirstPromotesItThenPreparesAFreshNextBesideIt() throws IOException {
        manifest(DUAL);
        MemoryOwnerProvider.VALID.put("mutt", new ArrayList<>(List.of("current-0")));
        Files.writeString(dir.resolve("keys/DB_PASS_CURRENT"), "current-0");

        RotorRunner.Result first = rotor("rotate");
        assertEquals(0, first.exit(), first.err());
        String current = file("DB_PASS_CURRENT");
        String next = file("DB_PASS_NEXT");
        assertNotEquals("current-0", current);
        assertNotEquals(current, next, "a fresh NEXT");
        assertEquals(List.of(current, next), MemoryOwnerProvider.VALID.get("mutt"), "CURRENT and NEXT; the old one retired");
        List<String> lines = first.err().lines().toList();
        int nextWritten = indexOf(lines, "keys:DB_PASS_NEXT: written (NEXT)");
        int promoted = indexOf(lines, "keys:DB_PASS_CURRENT: written");
        assertTrue(nextWritten >= 0 && nextWritten < promoted, first.err());

        RotorRunner.Result second = rotor("rotate");
        assertEquals(0, second.exit(), second.err());
        assertEquals(next, file("DB_PASS_CURRENT"), "the prepared NEXT is promoted");
        assertTrue(second.err().contains("promoting the prepared NEXT value"), second.err());
        assertEquals(List.of(next, file("DB_PASS_NEXT")), MemoryOwnerProvider.VALID.get("mutt"));
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theProbeReportsNoFailedLoginForDualPassword() throws IOException {
        manifest(DUAL.replace("  prepare-next: true\n", ""));
        MemoryOwnerProvider.VALID.put("mutt", new ArrayList<>(List.of("current-0")));
        Files.writeString(dir.resolve("keys/DB_PASS_CURRENT"), "current-0");
        Path summary = dir.resolve("summary.md");
        Path report = dir.resolve("report.json");
        RotorRunner.Result probed = rotor(Map.of("GITHUB_STEP_SUMMARY", summary.toString()), "rotate", "--probe=1ms",
                "--report", report.toString());
        assertEquals(0, probed.exit(), probed.err() + probed.out());
        List<String> table = Files.readAllLines(summary);
        assertEquals("| secret | environment | outcome | targets | failed logins | longest window without a working "
                + "credential | note |", table.get(2));
        assertTrue(table.get(4).matches("\\| db-pass \\| - \\| rotated \\| 2/2 \\| 0 of [1-9]\\d* \\| 0 ms \\|  \\|"),
                table.get(4));
        com.fasterxml.jackson.databind.JsonNode probe = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(report.toFile()).get("units").get(0).get("probe");
        assertEquals(0, probe.get("failed").asInt());
        assertTrue(probe.get("logins").asInt() > 0);
        assertTrue(probed.out().matches("(?s).*db-pass: rotated; targets: 2 written; probe: [1-9]\\d* logins, 0 failed, "
                + "longest window without a working credential 0 ms.*"), probed.out());
        assertFalse(probed.out().contains("current-0"));
    }

    @Test
    void anEmergencyThatCannotRemoveTheOldUserFailsAfterJournalingTheFinishAndALaterRunRemovesIt() throws IOException {
        manifest(ALTERNATING);
        Files.writeString(dir.resolve("rotation.yml"), Files.readString(dir.resolve("rotation.yml"))
                .replace("several: true", "several: true, fail-removal: true"));
        MemoryOwnerProvider.VALID.put("backend", new ArrayList<>(List.of("set-by-hand-1")));
        Files.writeString(dir.resolve("keys/db-password"), "set-by-hand-1");

        RotorRunner.Result emergency = rotor("rotate", "--emergency", "--reason", "INC-5");
        assertEquals(3, emergency.exit(), emergency.all());
        assertTrue(emergency.err().contains("db-login: finish: emergency: could not remove username backend (replaced "
                + "by run "), emergency.err());
        com.fasterxml.jackson.databind.JsonNode journal = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("keys/.rotor/journal/db-login.json").toFile());
        assertTrue(journal.get("pending") == null, "the finish is journaled: nothing is left to resume");
        assertEquals("backend_v2", journal.get("currentName").asText());
        assertEquals("backend", journal.get("previousName").asText());
        assertEquals("backend", journal.get("retiring").get(0).get("name").asText(), "still to be removed");

        assertTrue(emergency.err().contains("Finish with: "), "exit 3 names how to finish: " + emergency.err());

        Files.writeString(dir.resolve("rotation.yml"), Files.readString(dir.resolve("rotation.yml"))
                .replace(", fail-removal: true", ""));
        String finish = emergency.err().replaceAll("(?s).*Finish with: (.*?) \\| undo with: .*", "$1").strip();
        RotorRunner.Result later = RotorRunner.run(Map.of(), clock, StepHook.NONE,
                finish.substring(finish.indexOf(" rotate ") + 1).split(" "));
        assertEquals(0, later.exit(), finish + "\n" + later.all());
        assertNull(MemoryOwnerProvider.VALID.get("backend"), "the printed finish removed it");
    }
}
