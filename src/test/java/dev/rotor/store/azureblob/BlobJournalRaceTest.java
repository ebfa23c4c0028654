package dev.rotor.store.azureblob;

import dev.rotor.azure.AzureDouble;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Two runs racing on one journal blob through the CLI, in one JVM: the double holds both journal creations until
 * both have arrived, so both runs read "no journal" and both send {@code If-None-Match: *}; Blob Storage lets exactly
 * one in. {@link BlobJournalProcessRaceIT} races two jar processes the same way.
 */
class BlobJournalRaceTest {
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
    void twoRunsRacingOnOneJournalBlobExactlyOneWinsAndTheOtherIsRefusedNamingIt() throws Exception {
        Path manifest = BlobJournalRace.prepare(azure, dir);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<RotorRunner.Result>> runs = new ArrayList<>();
        for (String id : BlobJournalRace.RUNS) {
            runs.add(pool.submit(() -> RotorRunner.run(azure.env(), "rotate", "--run-id", id, "-m", manifest.toString())));
        }
        List<Integer> exits = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (Future<RotorRunner.Result> run : runs) {
            exits.add(run.get().exit());
            outputs.add(run.get().all());
        }
        pool.shutdown();
        BlobJournalRace.assertExactlyOneWon(azure, exits, outputs);
    }
}
