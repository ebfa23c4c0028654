package dev.rotor.store.awssecretsmanager;


import java.nio.file.Path;

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
        RotorJar.Race race = RotorJar.race(dir, manifest, SecretsManagerJournalRace.RUNS, SecretsManagerDouble.credentials(), "-e", "dev");
        SecretsManagerJournalRace.assertExactlyOneWon(aws, dir, race.exits(), race.outputs());
    }
}
