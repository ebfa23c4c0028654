package dev.rotor.store.azureblob;

import dev.rotor.azure.AzureDouble;
import dev.rotor.testing.RotorJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;


/**
 * Two real processes (the jar, as users run it) race on one journal blob, as {@link BlobJournalRaceTest} races two
 * runs in one JVM: exactly one gets in.
 */
class BlobJournalProcessRaceIT {
    @TempDir
    Path dir;
    private AzureDouble azure;

    @BeforeEach
    void start() {
        azure = new AzureDouble();
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void twoProcessesRacingOnOneJournalBlobExactlyOneWinsAndTheOtherIsRefusedNamingIt() throws Exception {
        Path manifest = BlobJournalRace.prepare(azure, dir);
        RotorJar.Race race = RotorJar.race(dir, manifest, BlobJournalRace.RUNS, azure.env());
        BlobJournalRace.assertExactlyOneWon(azure, race.exits(), race.outputs());
    }
}
