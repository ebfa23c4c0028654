package dev.rotor.store.awssecretsmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Two runs, {@code run-a} and {@code run-b}, racing on one Secrets Manager journal: the manifest they share, and
 * what must hold afterwards, whether the runs are threads in one JVM or two jar processes.
 */
final class SecretsManagerJournalRace {
    static final List<String> RUNS = List.of("run-a", "run-b");
    static final String JSON_SECRET = "mindwell/dev/postgres/admin";
    static final String JOURNAL = "mindwell/rotor-journal/postgres-admin-password.dev";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretsManagerJournalRace() {
    }

    /**
     * The manifest both runs rotate (a key of a JSON secret that exists, and a file), with no journal yet: the double
     * holds both journal creations until both have arrived, so both runs read "no journal" and both send CreateSecret,
     * which Secrets Manager lets exactly one of through (ResourceExistsException for the other).
     */
    static Path prepare(SecretsManagerDouble aws, Path dir) throws IOException {
        aws.put(JSON_SECRET, "{\"username\":\"mindwelladmin\",\"password\":\"before-rotor-0001\"}");
        aws.raceCreates(JOURNAL, RUNS.size());
        return Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                environments:
                  dev: {}
                stores:
                  aws: { type: aws-secrets-manager, region: eu-central-1, endpoint: "%s", journal-prefix: mindwell }
                  keys: { type: files, directory: keys }
                secrets:
                  postgres-admin-password:
                    generate: { type: password, length: 32 }
                    journal: aws
                    targets:
                      - { store: aws, name: "mindwell/${env}/postgres/admin", key: password }
                      - { store: keys, name: "pg-${env}.txt" }
                """.formatted(aws.endpoint()));
    }

    /**
     * Both tried to create the journal, exactly one got in, the other exited 4 naming it and wrote nothing; the journal
     * holds the winner's value, which the targets hold; nothing is left under AWSPENDING; no value in any output.
     */
    static void assertExactlyOneWon(SecretsManagerDouble aws, Path dir, List<Integer> exits, List<String> outputs)
            throws IOException {
        assertEquals(2, aws.requests().stream().filter(r -> r.operation().equals("CreateSecret")
                && r.body().path("Name").asText().equals(JOURNAL)).count(), "both tried to create the journal");
        List<Integer> sorted = new ArrayList<>(exits);
        sorted.sort(null);
        assertEquals(List.of(0, 4), sorted, String.join("\n----\n", outputs));
        int winner = exits.get(0) == 0 ? 0 : 1;
        String loserOutput = outputs.get(1 - winner);
        assertTrue(loserOutput.contains("run " + RUNS.get(winner) + " changed the journal of postgres-admin-password "
                + "(dev) meanwhile; this run changed nothing there"), loserOutput);
        String value = Files.readString(dir.resolve("keys/pg-dev.txt"));
        JsonNode journal = JSON.readTree(aws.current(JOURNAL).orElseThrow());
        assertEquals(value, journal.path("current").asText());
        assertEquals(RUNS.get(winner), journal.path("lastRunId").asText());
        assertTrue(journal.path("pending").isMissingNode(), "the winner finished");
        JsonNode held = JSON.readTree(aws.current(JSON_SECRET).orElseThrow());
        assertEquals(value, held.path("password").asText(), "the winner's value");
        assertEquals("mindwelladmin", held.path("username").asText());
        assertEquals(2, held.size());
        assertEquals(2, aws.versions(JSON_SECRET), "the put before the race and the winner's: the loser staged nothing");
        assertEquals(Optional.empty(), aws.stage(JSON_SECRET, "AWSPENDING"));
        assertEquals(Optional.empty(), aws.stage(JOURNAL, "AWSPENDING"));
        assertFalse(outputs.stream().anyMatch(o -> o.contains(value)), "no value in any output");
    }
}
