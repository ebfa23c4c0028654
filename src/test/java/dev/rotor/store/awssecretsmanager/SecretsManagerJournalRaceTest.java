package dev.rotor.store.awssecretsmanager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rotor.testing.RotorRunner;

/**
 * Two runs racing on one Secrets Manager journal through the CLI, in one JVM: both read "no journal", both send
 * CreateSecret for it at once, and Secrets Manager lets exactly one in. {@link SecretsManagerJournalProcessRaceIT}
 * races two jar processes the same way.
 */
class SecretsManagerJournalRaceTest {
    @TempDir
    Path dir;
    private SecretsManagerDouble aws;

    @BeforeEach
    void start() {
        aws = new SecretsManagerDouble();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void twoRunsRacingOnTheJournalOneWinsTheOtherIsRefusedWithExit4NamingItAndChangesNothing() throws Exception {
        Path manifest = SecretsManagerJournalRace.prepare(aws, dir);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<RotorRunner.Result>> runs = new ArrayList<>();
            for (String id : SecretsManagerJournalRace.RUNS) {
                runs.add(pool.submit(() -> RotorRunner.run(SecretsManagerDouble.credentials(), "rotate", "-e", "dev",
                        "--run-id", id, "-m", manifest.toString())));
            }
            List<Integer> exits = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            for (Future<RotorRunner.Result> run : runs) {
                RotorRunner.Result result = run.get(120, TimeUnit.SECONDS);
                exits.add(result.exit());
                outputs.add(result.all());
            }
            SecretsManagerJournalRace.assertExactlyOneWon(aws, dir, exits, outputs);
        } finally {
            pool.shutdownNow();
        }
    }
}
