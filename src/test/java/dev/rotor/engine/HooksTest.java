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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hooks (issue 9: the emergency runbook's denylist flush, api-forge's {@code docker compose up -d --force-recreate}):
 * {@code before} runs after the value is journaled and before the owner changes, {@code after} once every copy is
 * written and before verification; the value reaches them only through their env; a failure stops the rotation
 * there, resumably.
 */
class HooksTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));

    @BeforeEach
    void reset() {
        MemoryOwnerProvider.reset();
    }

    private void manifest(String hooks) throws IOException {
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/db-password"), "old-value-1");
        MemoryOwnerProvider.VALID.put("app", new ArrayList<>(List.of("old-value-1")));
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  db: { type: memory-owner }
                secrets:
                  db-password:
                    generate: { type: password, length: 24 }
                    owner: { store: db, user: app }
                    targets:
                      - { store: keys, name: db-password }
                    hooks:
                """ + hooks.indent(6));
    }

    private RotorRunner.Result rotor(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--manifest", dir.resolve("rotation.yml").toString()));
        return RotorRunner.run(Map.of(), clock, StepHook.NONE, full.toArray(String[]::new));
    }

    @Test
    void beforeRunsAheadOfTheOwnerAfterRunsOnceTheCopiesAreWrittenAndOnlyEnvCarriesTheValue() throws IOException {
        manifest("""
                before:
                  command: 'cp keys/db-password before-saw; echo "$NEW" > before-got; echo "$NEW"'
                  env: { NEW: "${secret}" }
                after:
                  command: [sh, -c, 'cp keys/db-password after-saw; echo "$NEW"']
                  env: { NEW: "${secret}" }
                  timeout: 20s
                """);
        RotorRunner.Result plan = rotor("plan");
        assertEquals(List.of("  hook before the owner: command cp keys/db-password before-saw; echo \"$NEW\" > "
                        + "before-got;...", "  hook after the copies: command sh -c cp keys/db-password "
                        + "after-saw; echo \"$NEW\""),
                plan.out().lines().filter(l -> l.startsWith("  hook ")).toList(), "plan names the hooks it would run");
        assertFalse(Files.exists(dir.resolve("before-saw")), "plan runs no hook");
        RotorRunner.Result rotated = rotor("rotate");
        assertEquals(0, rotated.exit(), rotated.err());
        String value = Files.readString(dir.resolve("keys/db-password"));
        assertEquals("old-value-1", Files.readString(dir.resolve("before-saw")), "before: no copy written yet");
        assertEquals(value + "\n", Files.readString(dir.resolve("before-got")), "the hook got the new value in its env");
        assertEquals(value, Files.readString(dir.resolve("after-saw")), "after: every copy written");
        List<String> lines = rotated.err().lines().toList();
        assertTrue(lines.indexOf("  hook before: command cp keys/db-password before-saw; echo \"$NEW\" > before-got; "
                + "echo \"$NEW\" done") < lines.indexOf("  owner db accepts the new value"), rotated.err());
        assertFalse(rotated.all().contains(value), "a hook's output is never shown");
    }

    @Test
    void aFailingBeforeHookStopsTheRotationBeforeTheOwnerAndTheRunResumesOnceItIsFixed() throws IOException {
        manifest("""
                before:
                  command: 'test -f denylist-flushed'
                """);
        RotorRunner.Result failed = rotor("rotate", "--run-id", "r1");
        assertEquals(3, failed.exit(), failed.err());
        assertTrue(failed.err().contains("db-password: owner: hook before: command test -f denylist-flushed: exit code 1"),
                failed.err());
        assertEquals(List.of("old-value-1"), MemoryOwnerProvider.VALID.get("app"), "the owner was not changed");
        assertEquals("old-value-1", Files.readString(dir.resolve("keys/db-password")), "no copy was written");

        Files.writeString(dir.resolve("denylist-flushed"), "");
        RotorRunner.Result resumed = rotor("rotate", "--resume", "--run-id", "r1");
        assertEquals(0, resumed.exit(), resumed.err());
        String value = Files.readString(dir.resolve("keys/db-password"));
        assertEquals(List.of(value), MemoryOwnerProvider.VALID.get("app"));
    }

    @Test
    void anAfterHookThatHangsIsStoppedAtItsTimeoutBeforeVerification() throws IOException {
        manifest("""
                after:
                  command: 'sleep 30'
                  timeout: 300ms
                """);
        RotorRunner.Result failed = rotor("rotate");
        assertEquals(3, failed.exit(), failed.err());
        assertTrue(failed.err().contains("distribute: hook after: command sleep 30: timed out after 300ms"), failed.err());
    }

    @Test
    void validateRefusesTheValueOnAHooksCommandLine() throws IOException {
        manifest("""
                after:
                  command: 'echo ${secret} | flush'
                """);
        RotorRunner.Result invalid = rotor("validate");
        assertEquals(2, invalid.exit());
        assertTrue(invalid.err().contains(":13:24: error: secrets.db-password.hooks.after.command: ${secret} is only "
                + "allowed in a target's 'value', a command check and a hook's 'env'"), invalid.err());
    }

    @Test
    void aHookKnowsWhetherItsRotationIsAnEmergency() throws IOException {
        manifest("""
                after:
                  command: 'echo "$ROTOR_EMERGENCY $ROTOR_RUN_ID" >> hook-saw'
                """);
        assertEquals(0, rotor("rotate", "--run-id", "scheduled-1").exit());
        RotorRunner.Result emergency = rotor("rotate", "--run-id", "incident-2", "--emergency", "--reason", "INC-9");
        assertEquals(0, emergency.exit(), emergency.all());
        assertEquals(List.of("false scheduled-1", "true incident-2"), Files.readAllLines(dir.resolve("hook-saw")),
                "runbook 003 §8: only the emergency flushes the token denylist");
    }
}
