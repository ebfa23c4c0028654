package dev.rotor.store.azureblob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.azure.AzureDouble;
import dev.rotor.testing.RotorRunner;

/**
 * Two runs racing on one journal blob through the CLI: the double holds both journal creations until both have
 * arrived, so both runs read "no journal" and both send {@code If-None-Match: *}; Blob Storage lets exactly one in.
 */
class BlobJournalRaceTest {
    @TempDir
    Path dir;
    private AzureDouble azure;

    @BeforeEach
    void start() throws Exception {
        azure = new AzureDouble();
        azure.container("rotor-state");
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  state: { type: azure-blob, url: "%s", container: rotor-state, prefix: mindwell, ca-bundle: "%s" }
                secrets:
                  api-token:
                    generate: { type: password, length: 24 }
                    journal: state
                    targets:
                      - { store: state, name: keys/api-token }
                """.formatted(azure.blobUrl(), AzureDouble.caBundle()));
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void twoRunsRacingOnOneJournalBlobExactlyOneWinsAndTheOtherIsRefusedNamingIt() throws Exception {
        azure.raceJournalCreates(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<RotorRunner.Result>> runs = new ArrayList<>();
        for (String id : List.of("run-a", "run-b")) {
            runs.add(pool.submit(() -> RotorRunner.run(azure.env(), "rotate", "--run-id", id, "-m",
                    dir.resolve("rotation.yml").toString())));
        }
        RotorRunner.Result a = runs.get(0).get();
        RotorRunner.Result b = runs.get(1).get();
        pool.shutdown();
        assertEquals(2, azure.requests("PUT", ".*/mindwell/.rotor/journal/api-token.json").stream()
                .filter(r -> "*".equals(r.getHeader("If-None-Match"))).count(), "both tried to create the journal");
        List<Integer> exits = new ArrayList<>(List.of(a.exit(), b.exit()));
        exits.sort(null);
        assertEquals(List.of(0, 4), exits, a.all() + "\n----\n" + b.all());
        RotorRunner.Result winner = a.exit() == 0 ? a : b;
        RotorRunner.Result loser = a.exit() == 0 ? b : a;
        String winnerId = winner == a ? "run-a" : "run-b";
        assertTrue(loser.all().contains(winnerId), "the refusal names the run that holds the journal: " + loser.all());

        JsonNode journal = new ObjectMapper().readTree(azure.blob("rotor-state", "mindwell/.rotor/journal/api-token.json")
                .orElseThrow().content());
        String value = azure.blob("rotor-state", "mindwell/keys/api-token").orElseThrow().content();
        assertEquals(value, journal.path("current").asText());
        assertEquals(1, azure.requests("PUT", ".*/mindwell/keys/api-token").size(), "only the winner wrote the target");
        assertTrue(!winner.all().contains(value) && !loser.all().contains(value), "no value in any output");
    }
}
