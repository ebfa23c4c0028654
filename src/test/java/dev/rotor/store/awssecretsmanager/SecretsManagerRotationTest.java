package dev.rotor.store.awssecretsmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.testing.RotorRunner;

/**
 * The CLI end to end in GitHub Actions: the MindWell password into a key of a JSON secret and into a whole secret,
 * journaled in Secrets Manager; a crash resumed with the journaled value. Two runs racing on the journal:
 * {@link SecretsManagerJournalRaceTest} and {@link SecretsManagerJournalProcessRaceIT}.
 */
class SecretsManagerRotationTest {
    private static final String MANIFEST = """
            version: 1
            environments:
              dev: {}
            stores:
              aws: { type: aws-secrets-manager, region: eu-central-1, endpoint: "%s", journal-prefix: mindwell,
                     tags: { app: mindwell, environment: "${env}" } }
              keys: { type: files, directory: keys }
            secrets:
              postgres-admin-password:
                generate: { type: password, length: 32 }
                journal: aws
                targets:
                  - { store: aws, name: "mindwell/${env}/postgres/admin", key: password }
                  - { store: aws, name: "mindwell/${env}/postgres/admin-password" }
                  - { store: keys, name: "pg-${env}.txt" }
            """;
    private static final String JSON_SECRET = "mindwell/dev/postgres/admin";
    private static final String RAW_SECRET = "mindwell/dev/postgres/admin-password";
    private static final String JOURNAL = "mindwell/rotor-journal/postgres-admin-password.dev";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private SecretsManagerDouble aws;
    private final Map<String, String> env = new HashMap<>(SecretsManagerDouble.credentials());

    @BeforeEach
    void start() throws IOException {
        aws = new SecretsManagerDouble();
        aws.put(JSON_SECRET, "{\"username\":\"mindwelladmin\",\"password\":\"before-rotor-0001\",\"host\":\"pgflex-mindwell-dev\"}");
        Files.writeString(dir.resolve("rotation.yml"), MANIFEST.formatted(aws.endpoint()));
        env.put("GITHUB_ACTIONS", "true");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private RotorRunner.Result run(StepHook hook, String runId) {
        return RotorRunner.run(env, Clock.systemUTC(), hook, "rotate", "-e", "dev", "--run-id", runId,
                "--manifest", dir.resolve("rotation.yml").toString());
    }

    private JsonNode json(String secret) throws IOException {
        return JSON.readTree(aws.current(secret).orElseThrow());
    }

    @Test
    void aRotationSetsTheKeyKeepsItsNeighboursCreatesTheOtherSecretAndJournalsInSecretsManager() throws IOException {
        RotorRunner.Result result = run(StepHook.NONE, "run-1");

        assertEquals(0, result.exit(), result.all());
        String value = Files.readString(dir.resolve("keys/pg-dev.txt"));
        JsonNode held = json(JSON_SECRET);
        assertEquals(value, held.path("password").asText());
        assertEquals("mindwelladmin", held.path("username").asText());
        assertEquals("pgflex-mindwell-dev", held.path("host").asText());
        assertEquals(3, held.size());
        assertEquals("before-rotor-0001", JSON.readTree(aws.stage(JSON_SECRET, "AWSPREVIOUS").orElseThrow())
                .path("password").asText(), "AWS moved AWSPREVIOUS to the version Rotor replaced");
        assertEquals(Optional.of(value), aws.current(RAW_SECRET), "created when missing");
        assertEquals(Map.of("app", "mindwell", "environment", "dev"), aws.secret(RAW_SECRET).tags);
        assertEquals(value, json(JOURNAL).path("current").asText());
        assertEquals("before-rotor-0001", json(JOURNAL).path("previous").asText(), "the first rotation adopted it");
        for (String secret : List.of(JSON_SECRET, RAW_SECRET, JOURNAL)) {
            assertEquals(Optional.empty(), aws.stage(secret, "AWSPENDING"), secret + ": no rotation left in progress");
        }
        assertTrue(result.out().contains("::add-mask::" + value), "masked first");
        assertFalse(result.all().replace("::add-mask::" + value, "").contains(value), "no value in any other output");
        assertTrue(result.out().contains("::add-mask::before-rotor-0001"), "the adopted value is masked too");
        assertFalse(result.all().replace("::add-mask::before-rotor-0001", "").contains("before-rotor-0001"));
        assertFalse(result.all().contains(SecretsManagerDouble.SECRET_KEY) || result.all().contains(SecretsManagerDouble.ACCESS_KEY));
        assertFalse(Files.exists(dir.resolve("keys/.rotor/journal")), "the journal is not on the runner's disk");
        assertFalse(result.all().contains("runner's disk"), result.all());
    }

    @Test
    void fromThePendingStepSecretsManagerShowsTheRotationInProgressUnderAwsPendingAsALambdaWould() throws IOException {
        assertEquals(0, run(StepHook.NONE, "first").exit());
        String before = Files.readString(dir.resolve("keys/pg-dev.txt"));
        java.util.concurrent.atomic.AtomicReference<Optional<String>> pendingAtOwnerStep = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Optional<String>> currentAtOwnerStep = new java.util.concurrent.atomic.AtomicReference<>();
        StepHook look = (unit, step) -> {
            if (step == Step.OWNER) {
                pendingAtOwnerStep.set(aws.stage(RAW_SECRET, "AWSPENDING"));
                currentAtOwnerStep.set(aws.current(RAW_SECRET));
            }
        };
        RotorRunner.Result second = run(look, "second");
        assertEquals(0, second.exit(), second.all());
        String after = Files.readString(dir.resolve("keys/pg-dev.txt"));
        assertEquals(Optional.of(after), pendingAtOwnerStep.get(), "staged under AWSPENDING right after the journal");
        assertEquals(Optional.of(before), currentAtOwnerStep.get(), "consumers still read the old value then");
        assertEquals(Optional.of(after), aws.current(RAW_SECRET));
        assertEquals(Optional.empty(), aws.stage(RAW_SECRET, "AWSPENDING"), "nothing left in progress");
    }

    @Test
    void aCrashAfterDistributingKeepsOtherRunsOutAndItsResumeFinishesWithTheJournaledValue() throws IOException {
        assertEquals(0, run(StepHook.NONE, "first").exit());
        String before = Files.readString(dir.resolve("keys/pg-dev.txt"));
        StepHook crash = (unit, step) -> {
            if (step == Step.DISTRIBUTE) {
                throw new RotorRunner.Crash(step.label());
            }
        };
        assertThrows(RotorRunner.Crash.class, () -> run(crash, "second"));
        String pending = json(JOURNAL).path("pending").asText(null);
        assertNotEquals(null, pending);
        assertNotEquals(before, pending);

        RotorRunner.Result refused = run(StepHook.NONE, "third");
        assertEquals(4, refused.exit(), "the lease in Secrets Manager keeps another run out: " + refused.all());
        assertTrue(refused.all().contains("held by run second"), refused.all());

        RotorRunner.Result resumed = run(StepHook.NONE, "second");
        assertEquals(0, resumed.exit(), resumed.all());
        assertEquals(pending, Files.readString(dir.resolve("keys/pg-dev.txt")));
        assertEquals(pending, json(JSON_SECRET).path("password").asText());
        assertEquals(Optional.of(pending), aws.current(RAW_SECRET));
        assertEquals(pending, json(JOURNAL).path("current").asText());
        assertEquals(before, json(JOURNAL).path("previous").asText());
        assertTrue(json(JOURNAL).path("pending").isMissingNode());
        assertEquals(Optional.of(before), aws.stage(RAW_SECRET, "AWSPREVIOUS"));
    }
}
