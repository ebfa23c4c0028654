package dev.rotor.store.azureblob;

import dev.rotor.azure.AzureDouble;
import dev.rotor.testing.RotorJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
        List<Process> processes = new ArrayList<>();
        for (String id : BlobJournalRace.RUNS) {
            ProcessBuilder builder = new ProcessBuilder(RotorJar.command("rotate", "--run-id", id, "-m",
                    manifest.toString())).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(id + ".log").toFile());
            builder.environment().putAll(azure.env());
            processes.add(builder.start());
        }
        List<Integer> exits = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            assertTrue(processes.get(i).waitFor(120, TimeUnit.SECONDS), "the run ended");
            exits.add(processes.get(i).exitValue());
            outputs.add(Files.readString(dir.resolve(BlobJournalRace.RUNS.get(i) + ".log")));
        }
        BlobJournalRace.assertExactlyOneWon(azure, exits, outputs);
    }
}
