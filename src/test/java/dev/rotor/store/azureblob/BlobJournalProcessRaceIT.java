package dev.rotor.store.azureblob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real processes (the jar, as users run it) race on one journal blob: the double holds both journal creations
 * until both have arrived, so both read "no journal" and both send {@code If-None-Match: *}; exactly one gets in.
 */
class BlobJournalProcessRaceIT {
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
    void twoProcessesRacingOnOneJournalBlobExactlyOneWinsAndTheOtherIsRefusedNamingIt() throws Exception {
        azure.raceJournalCreates(2);
        List<Process> processes = new ArrayList<>();
        for (String id : List.of("run-a", "run-b")) {
            ProcessBuilder builder = new ProcessBuilder(RotorJar.command("rotate", "--run-id", id, "-m",
                    dir.resolve("rotation.yml").toString())).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(id + ".log").toFile());
            builder.environment().putAll(azure.env());
            processes.add(builder.start());
        }
        List<Integer> exits = new ArrayList<>();
        for (Process process : processes) {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the run ended");
            exits.add(process.exitValue());
        }
        String logA = Files.readString(dir.resolve("run-a.log"));
        String logB = Files.readString(dir.resolve("run-b.log"));
        assertEquals(2, azure.requests("PUT", ".*/mindwell/.rotor/journal/api-token.json").stream()
                .filter(r -> "*".equals(r.getHeader("If-None-Match"))).count(), "both tried to create the journal");
        List<Integer> sorted = new ArrayList<>(exits);
        sorted.sort(null);
        assertEquals(List.of(0, 4), sorted, logA + "\n----\n" + logB);
        String winner = exits.get(0) == 0 ? "run-a" : "run-b";
        String loserLog = exits.get(0) == 0 ? logB : logA;
        assertTrue(loserLog.contains("run " + winner), "the refusal names the run that holds the journal: " + loserLog);

        JsonNode journal = new ObjectMapper().readTree(azure.blob("rotor-state", "mindwell/.rotor/journal/api-token.json")
                .orElseThrow().content());
        String value = azure.blob("rotor-state", "mindwell/keys/api-token").orElseThrow().content();
        assertEquals(value, journal.path("current").asText());
        assertEquals(1, azure.requests("PUT", ".*/mindwell/keys/api-token").size(), "only the winner wrote the target");
        assertFalse(logA.contains(value) || logB.contains(value), "no value in any output");
    }
}
