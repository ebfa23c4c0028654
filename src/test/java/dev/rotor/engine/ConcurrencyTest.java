package dev.rotor.engine;

import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise 10, the engine's decisions: a second run started at a chosen step (nested in this process, so the moment is
 * exact) is refused by the lease, or loses the journal's compare-and-set. Nested runs never contend for the stores'
 * OS file locks at once; that, with two real processes, is {@code dev.rotor.store.LocalStoresAcrossProcessesIT}.
 */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunWhileTheFirstHoldsTheLeaseIsRefusedAndChangesNothing() {
        Fixture f = new Fixture(dir);
        AtomicReference<RotorRunner.Result> second = new AtomicReference<>();
        AtomicReference<String> pendingSeen = new AtomicReference<>();
        StepHook startAnotherRunMidway = (unit, step) -> {
            if (step == Step.OWNER && second.get() == null) {
                pendingSeen.set(f.journalField("dev", "pending"));
                second.set(f.run("rotate", "-e", "dev", "--run-id", "intruder"));
            }
        };
        RotorRunner.Result first = f.run(startAnotherRunMidway, "rotate", "-e", "dev", "--run-id", "owner-run");
        assertEquals(0, first.exit(), first.err());
        assertEquals(4, second.get().exit(), second.get().err());
        assertTrue(second.get().err().contains("is held by run owner-run until"), second.get().err());
        assertEquals(pendingSeen.get(), f.file("dev"), "the first run finished with its own value");
    }

    @Test
    void aRunThatLostTheRaceForTheJournalIsRefused() {
        Fixture f = new Fixture(dir);
        AtomicReference<RotorRunner.Result> winner = new AtomicReference<>();
        StepHook letAnotherRunWinAfterOurRead = (unit, step) -> {
            if (step == Step.PLAN && winner.get() == null) {
                winner.set(f.run("rotate", "-e", "dev", "--run-id", "winner"));
            }
        };
        RotorRunner.Result loser = f.run(letAnotherRunWinAfterOurRead, "rotate", "-e", "dev", "--run-id", "loser");
        assertEquals(0, winner.get().exit());
        String winnersValue = f.file("dev");
        assertEquals(4, loser.exit(), loser.err());
        assertTrue(loser.err().contains("run winner changed the journal"), loser.err());
        assertEquals(winnersValue, f.journalField("dev", "current"));
        assertEquals("winner", f.journalField("dev", "lastRunId"));
    }
}
