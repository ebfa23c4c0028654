package dev.rotor.store.azureblob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.azure.AzureDouble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two runs, {@code run-a} and {@code run-b}, racing on one journal blob: the manifest they share, and what must hold
 * afterwards, whether the runs are threads in one JVM or two jar processes.
 */
final class BlobJournalRace {
    static final List<String> RUNS = List.of("run-a", "run-b");

    private BlobJournalRace() {
    }

    /** The manifest both runs rotate; the double holds both journal creations until both have arrived. */
    static Path prepare(AzureDouble azure, Path dir) throws IOException {
        azure.container("rotor-state");
        azure.raceJournalCreates(2);
        return Files.writeString(dir.resolve("rotation.yml"), """
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

    /** Both tried to create the journal, exactly one got in, the other exited 4 naming it, nothing leaked. */
    static void assertExactlyOneWon(AzureDouble azure, List<Integer> exits, List<String> outputs) throws IOException {
        assertEquals(2, azure.requests("PUT", ".*/mindwell/.rotor/journal/api-token.json").stream()
                .filter(r -> "*".equals(r.getHeader("If-None-Match"))).count(), "both tried to create the journal");
        List<Integer> sorted = new ArrayList<>(exits);
        sorted.sort(null);
        assertEquals(List.of(0, 4), sorted, String.join("\n----\n", outputs));
        int winner = exits.get(0) == 0 ? 0 : 1;
        String loserOutput = outputs.get(1 - winner);
        assertTrue(loserOutput.contains("run " + RUNS.get(winner)),
                "the refusal names the run that holds the journal: " + loserOutput);
        JsonNode journal = new ObjectMapper().readTree(azure.blob("rotor-state", "mindwell/.rotor/journal/api-token.json")
                .orElseThrow().content());
        String value = azure.blob("rotor-state", "mindwell/keys/api-token").orElseThrow().content();
        assertEquals(value, journal.path("current").asText());
        assertEquals(1, azure.requests("PUT", ".*/mindwell/keys/api-token").size(), "only the winner wrote the target");
        assertFalse(outputs.stream().anyMatch(o -> o.contains(value)), "no value in any output");
    }
}
