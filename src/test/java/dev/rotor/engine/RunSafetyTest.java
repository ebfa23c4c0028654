package dev.rotor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.testing.MemoryOwnerProvider;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The defects a new user hit on re-runs, rollbacks and failed writes (issue 6), through the CLI. */
class RunSafetyTest {
    @TempDir
    Path dir;

    @Test
    void everyRotateAndRollbackNamesItsRunOnTheFirstLine() {
        Fixture f = new Fixture(dir);
        RotorRunner.Result rotated = f.run("rotate", "--run-id", "8f3a");
        assertEquals(0, rotated.exit(), rotated.err());
        assertEquals("run 8f3a: 1 secret, 2 environments", rotated.err().lines().findFirst().orElseThrow());
        f.run("rotate", "-e", "dev", "--run-id", "second");
        RotorRunner.Result rolledBack = f.run("rollback", "--secret", "db-password", "-e", "dev", "--run-id", "9c");
        assertEquals(0, rolledBack.exit(), rolledBack.err());
        assertEquals("run 9c: 1 secret, 1 environment", rolledBack.err().lines().findFirst().orElseThrow());
    }

    @Test
    void aLiveLeaseAnywhereRefusesTheWholeRunBeforeAnythingIsWritten() {
        Fixture f = new Fixture(dir);
        StepHook dieInProd = (unit, step) -> {
            if (unit.endsWith(".prod") && step == Step.OWNER) {
                throw new RotorRunner.Crash("owner of prod");
            }
        };
        assertThrows(RotorRunner.Crash.class, () -> f.run(dieInProd, "rotate", "--run-id", "dead"));
        String dev = f.file("dev");
        String devJournal = Fixture.read(dir.resolve("keys/.rotor/journal/db-password.dev.json"));
        MemoryOwnerProvider.CALLS.clear();

        RotorRunner.Result again = f.run("rotate");
        assertEquals(4, again.exit(), again.err());
        assertTrue(again.err().contains("db-password (prod) is held by run dead until"), again.err());
        assertTrue(again.err().contains("--resume --run-id dead"), again.err());
        assertEquals(dev, f.file("dev"), "dev, finished by the dead run, was not rotated again");
        assertEquals(devJournal, Fixture.read(dir.resolve("keys/.rotor/journal/db-password.dev.json")));
        assertTrue(MemoryOwnerProvider.CALLS.stream().noneMatch(c -> c.startsWith("accept")), MemoryOwnerProvider.CALLS.toString());
        assertTrue(again.out().contains("db-password (dev): not started"), again.out());

        String prodPending = f.journalField("prod", "pending");
        RotorRunner.Result resumed = f.run("rotate", "--resume", "--run-id", "dead");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(dev, f.file("dev"));
        assertEquals(prodPending, f.file("prod"));
        assertTrue(resumed.out().contains("db-password (dev): already done"), resumed.out());
    }

    @Test
    void afterTheLeaseExpiresTheNextRunFinishesTheDeadRunsValueAndSaysSo() {
        Fixture f = new Fixture(dir);
        StepHook die = (unit, step) -> {
            if (step == Step.TEST) {
                throw new RotorRunner.Crash("test");
            }
        };
        assertThrows(RotorRunner.Crash.class, () -> f.run(die, "rotate", "-e", "dev", "--run-id", "dead"));
        String pending = f.journalField("dev", "pending");
        f.clock.advance(Duration.ofMinutes(16));
        RotorRunner.Result next = f.run("rotate", "-e", "dev", "--resume");
        assertEquals(0, next.exit(), next.err());
        assertTrue(next.err().contains("finishing the unfinished rotation left by run dead"), next.err());
        assertEquals(pending, f.file("dev"));
    }

    @Test
    void rollbackAfterAFailedFirstRotationDropsThePendingValueAndSaysWhatItDid() {
        Fixture f = new Fixture(dir, "", "verify:\n  - command: 'false'\n");
        RotorRunner.Result failed = f.run("rotate", "-e", "dev");
        assertEquals(3, failed.exit(), failed.err());
        assertNotEquals(null, f.journalField("dev", "pending"));

        RotorRunner.Result rollback = f.run("rollback", "--secret", "db-password", "-e", "dev");
        assertEquals(0, rollback.exit(), rollback.err());
        assertNull(f.journalField("dev", "pending"));
        assertTrue(rollback.err().contains("no earlier value was known to restore"), rollback.err());
        assertFalse(rollback.err().contains("pending value journaled"), rollback.err());
        assertTrue(rollback.out().contains("db-password (dev): rolled back"), rollback.out());
    }

    @Test
    void aFirstRotationDoesNotClaimAPreviousValueAndARollbackSaysWhatItRestores() {
        Fixture f = new Fixture(dir);
        RotorRunner.Result first = f.run("rotate", "-e", "dev");
        assertTrue(first.err().contains("no earlier value was known, so there is none to roll back to"), first.err());
        assertFalse(first.err().contains("the old one as previous"), first.err());
        String one = f.file("dev");
        RotorRunner.Result second = f.run("rotate", "-e", "dev");
        assertTrue(second.err().contains("holds the new value as current, the old one as previous"), second.err());

        RotorRunner.Result rollback = f.run("rollback", "--secret", "db-password", "-e", "dev");
        assertEquals(0, rollback.exit(), rollback.err());
        assertTrue(rollback.err().contains("restoring the previous value, journaled in keys:"), rollback.err());
        assertTrue(rollback.err().contains("the previous value is current again"), rollback.err());
        assertFalse(rollback.err().contains("pending value journaled"), rollback.err());
        assertEquals(one, f.file("dev"));
    }

    @Test
    void aFailedJournalWriteLeavesTheOwnerUntouched() throws Exception {
        Fixture f = new Fixture(dir);
        // The journal's folder passes preflight, but its write fails: a directory where the write's temp file goes.
        Files.createDirectories(dir.resolve("keys/.rotor/journal/.db-password.dev.json.tmp-" + ProcessHandle.current()
                .pid() + "/in-the-way"));
        RotorRunner.Result r = f.run("rotate", "-e", "dev");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("pending"), r.err());
        assertEquals(List.of("preflight app-dev"), MemoryOwnerProvider.CALLS, "step 3 never ran: nothing accepted");
        assertNull(f.file("dev"));
    }

    @Test
    void targetsAfterAFailedWriteAreReportedBehind() throws Exception {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  app-env: { type: dotenv, path: app.env }
                secrets:
                  api-key:
                    generate: { type: password, length: 24 }
                    targets:
                      - { store: keys, name: api-key }
                      - { store: app-env, name: API_URL, value: "https://k:${secret.url}@api" }
                      - { store: keys, name: api-key-copy }
                """);
        // A folder where the .env file's lock goes: preflight passes (the file itself is fine), the write fails.
        Files.createDirectories(dir.resolve(".app.env.lock"));
        RotorRunner.Result r = RotorRunner.run(Map.of(), "rotate", "-m", dir.resolve("rotation.yml").toString(),
                "--report", dir.resolve("report.json").toString());
        assertEquals(3, r.exit(), r.err());
        JsonNode targets = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("units").get(0)
                .get("targets");
        assertEquals(3, targets.size(), targets.toString());
        assertEquals("written", targets.get(0).get("status").asText());
        assertEquals("behind", targets.get(1).get("status").asText());
        assertEquals("behind", targets.get(2).get("status").asText());
        assertFalse(Files.exists(dir.resolve("keys/api-key-copy")));
    }

    @Test
    void inGithubActionsTheWayOutIsAWorkflowRunNotJarFlags() {
        Fixture f = new Fixture(dir, "", "verify:\n  - command: 'false'\n");
        f.env.put("GITHUB_ACTIONS", "true");
        f.env.put("GITHUB_RUN_ID", "4242");
        f.env.put("GITHUB_REPOSITORY", "acme/web");
        RotorRunner.Result r = f.run("rotate", "-e", "dev");
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("Finish with: re-run the failed jobs of workflow run 4242 "
                + "(https://github.com/acme/web/actions/runs/4242) (it finishes with the journaled value)"), r.err());
        assertTrue(r.err().contains("run the workflow with inputs command: rollback, secrets: db-password, environment: dev"),
                r.err());
        assertFalse(r.err().contains("--resume"), r.err());
        assertFalse(r.err().contains("-jar"), r.err());
    }

    @Test
    void onlyDueSaysTheMaxAgeAsTheManifestWritesItAndAgreesWithStatus() {
        Fixture f = new Fixture(dir, "", "max-age: 90d\n");
        assertEquals(0, f.run("rotate", "-e", "dev").exit());
        RotorRunner.Result notDue = f.run("rotate", "-e", "dev", "--only-due");
        assertTrue(notDue.err().contains("max-age 90d"), notDue.err());
        assertFalse(notDue.err().contains("PT2160H"), notDue.err());
        assertFalse(f.run("status", "-e", "dev").out().contains("DUE"));

        f.clock.advance(Duration.ofDays(91));
        assertTrue(f.run("status", "-e", "dev").out().contains("DUE"));
        String before = f.file("dev");
        assertEquals(0, f.run("rotate", "-e", "dev", "--only-due").exit());
        assertNotEquals(before, f.file("dev"));
    }

    @Test
    void planRefusesOptionsItWouldIgnore() {
        Fixture f = new Fixture(dir);
        RotorRunner.Result r = f.run("plan", "--audit-log", dir.resolve("audit.jsonl").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unknown options: '--audit-log'"), r.err());
        assertFalse(Files.exists(dir.resolve("audit.jsonl")));
    }

    @Test
    void whenTheLeaseCannotBeReleasedThePrintedFinishCommandStillFinishesAtOnce() throws Exception {
        Path flag = dir.resolve("healthy");
        Fixture f = new Fixture(dir, "", "verify:\n  - command: 'test -f " + flag + "'\n");
        Path journal = dir.resolve("keys/.rotor/journal");
        Path away = dir.resolve("keys/.rotor/journal.away");
        StepHook diskFullAfterDistribute = (unit, step) -> {
            if (step == Step.DISTRIBUTE) {
                try {
                    Files.move(journal, away);
                    Files.writeString(journal, "the journal can no longer be written, as on a full disk");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        RotorRunner.Result failed = f.run(diskFullAfterDistribute, "rotate", "-e", "dev", "--run-id", "full");
        assertEquals(3, failed.exit(), failed.err());
        Files.delete(journal);
        Files.move(away, journal);
        assertEquals("full", f.journalField("dev", "leaseHolder"), "the lease could not be released");
        assertEquals(4, f.run("rotate", "-e", "dev").exit(), "another run is still refused");

        java.util.regex.Matcher finish = java.util.regex.Pattern.compile("Finish with: \\S+( .*)? rotate (.+?) \\|")
                .matcher(failed.err());
        assertTrue(finish.find(), failed.err());
        Fixture.write(flag, "");
        String[] printed = ("rotate " + finish.group(2)).split(" ");
        RotorRunner.Result finished = RotorRunner.run(f.env, f.clock, StepHook.NONE, printed);
        assertEquals(0, finished.exit(), String.join(" ", printed) + "\n" + finished.err());
        assertNull(f.journalField("dev", "pending"));
        assertNull(f.journalField("dev", "leaseHolder"));
    }

    @Test
    void consumersAreRestartedOncePerUnitAfterEveryWriteAndBeforeVerification() throws Exception {
        dev.rotor.testing.RestartingStoreProvider.EVENTS.clear();
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  app: { type: restarting-store }
                secrets:
                  db-password:
                    generate: { type: password, length: 24 }
                    targets:
                      - { store: keys, name: db-password }
                      - { store: app, name: DATABASE_URL, value: "postgresql://app:${secret.url}@db/app", restart: true }
                      - { store: app, name: DB_PASSWORD, restart: true }
                      - { store: app, name: DB_USER_NOTE }
                    verify:
                      - command: 'echo verify >> events'
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of(), "rotate", "-m", dir.resolve("rotation.yml").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("write DATABASE_URL", "write DB_PASSWORD", "write DB_USER_NOTE",
                "restart [DATABASE_URL, DB_PASSWORD]"), dev.rotor.testing.RestartingStoreProvider.EVENTS);
        assertEquals("verify\n", Files.readString(dir.resolve("events")), "verified after the restart");
    }
}
