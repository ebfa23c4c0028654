package dev.rotor.engine;

import dev.rotor.testing.MemoryOwnerProvider;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise 1: a crash after any step, then a re-run, completes with the value journaled before the crash; every
 * target ends with the same value and the previous value stays retrievable.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    private static StepHook crashAfter(Step step) {
        return (unit, s) -> {
            if (unit.equals("db-password.dev") && s == step) {
                throw new RotorRunner.Crash(s.label());
            }
        };
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aReRunOfTheSameRunResumesWithTheJournaledValue(Step step) {
        Fixture f = new Fixture(dir);
        assertEquals(0, f.run("rotate", "-e", "dev", "--run-id", "first").exit());
        String before = f.file("dev");

        assertThrows(RotorRunner.Crash.class, () -> f.run(crashAfter(step), "rotate", "-e", "dev", "--run-id", "second"));
        String pending = step == Step.FINISH ? f.journalField("dev", "current") : f.journalField("dev", "pending");
        if (step == Step.PLAN) {
            assertNull(pending, "nothing is journaled before the pending step");
        } else {
            assertNotNull(pending);
            assertNotEquals(before, pending);
        }

        RotorRunner.Result rerun = f.run("rotate", "-e", "dev", "--run-id", "second");
        assertEquals(0, rerun.exit(), rerun.err());
        String value = f.file("dev");
        if (pending != null) {
            assertEquals(pending, value, "the re-run finished with the value generated before the crash");
        }
        assertEquals(f.expectedUrlLine("dev", value), f.dotenvLine("dev"));
        assertEquals(List.of(value), MemoryOwnerProvider.VALID.get("app-dev"));
        assertEquals(value, f.journalField("dev", "current"));
        assertEquals(before, f.journalField("dev", "previous"), "the previous value stays retrievable");
        assertNull(f.journalField("dev", "pending"));
    }

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"PENDING", "OWNER", "DISTRIBUTE", "VERIFY"})
    void anotherRunIsRefusedWhileTheLeaseLivesAndResumesAfterItExpires(Step step) {
        Fixture f = new Fixture(dir);
        assertThrows(RotorRunner.Crash.class, () -> f.run(crashAfter(step), "rotate", "-e", "dev", "--run-id", "crashed"));
        String pending = f.journalField("dev", "pending");

        RotorRunner.Result refused = f.run("rotate", "-e", "dev", "--run-id", "other");
        assertEquals(4, refused.exit());
        assertTrue(refused.err().contains("in progress") && refused.err().contains("--run-id crashed"), refused.err());
        assertEquals(pending, f.journalField("dev", "pending"), "a refused run changes nothing");

        f.clock.advance(Duration.ofMinutes(16));
        RotorRunner.Result resumed = f.run("rotate", "-e", "dev", "--run-id", "other");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(pending, f.file("dev"));
    }

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"OWNER", "TEST", "DISTRIBUTE"})
    void aResumeDoesNotAskTheOwnerAgainOnceTheJournalSaysItAccepted(Step step) {
        Fixture f = new Fixture(dir);
        assertThrows(RotorRunner.Crash.class, () -> f.run(crashAfter(step), "rotate", "-e", "dev", "--run-id", "r"));
        MemoryOwnerProvider.CALLS.clear();
        assertEquals(0, f.run("rotate", "-e", "dev", "--run-id", "r").exit());
        assertEquals(List.of("preflight app-dev", "test app-dev", "retire app-dev"), MemoryOwnerProvider.CALLS);
    }
}
