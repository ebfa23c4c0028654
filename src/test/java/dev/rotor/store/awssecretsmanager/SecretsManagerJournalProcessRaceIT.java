package dev.rotor.store.awssecretsmanager;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rotor.testing.RotorJar;

/**
 * Two real processes (the jar, as users run it) race on one Secrets Manager journal served over HTTP by one double,
 * as {@link SecretsManagerJournalRaceTest} races two runs in one JVM: exactly one gets in.
 */
class SecretsManagerJournalProcessRaceIT {
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
    void twoProcessesRacingOnOneJournalExactlyOneWinsAndTheOtherExits4NamingIt() throws Exception {
        Path manifest = SecretsManagerJournalRace.prepare(aws, dir);
        List<Process> processes = new ArrayList<>();
        for (String id : SecretsManagerJournalRace.RUNS) {
            ProcessBuilder builder = new ProcessBuilder(RotorJar.command("rotate", "-e", "dev", "--run-id", id, "-m",
                    manifest.toString())).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(id + ".log").toFile());
            builder.environment().putAll(SecretsManagerDouble.credentials());
            processes.add(builder.start());
        }
        List<Integer> exits = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            assertTrue(processes.get(i).waitFor(120, TimeUnit.SECONDS), "the run ended");
            exits.add(processes.get(i).exitValue());
            outputs.add(Files.readString(dir.resolve(SecretsManagerJournalRace.RUNS.get(i) + ".log")));
        }
        SecretsManagerJournalRace.assertExactlyOneWon(aws, dir, exits, outputs);
    }
}
