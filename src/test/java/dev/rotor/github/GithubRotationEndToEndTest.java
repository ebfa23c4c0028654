package dev.rotor.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rotation through the CLI into GitHub secrets fanned out to three repositories and their prod environments,
 * with a files journal: request counts, a permanent failure of one destination reported exactly, and the re-run
 * that finishes the rest with the same value (issue 3, item 6).
 */
class GithubRotationEndToEndTest {
    private static final List<String> REPOS = List.of("acme/web", "acme/api", "acme/worker");

    @TempDir
    Path dir;
    private GithubDouble github;
    private Path manifest;

    @BeforeEach
    void start() throws Exception {
        github = new GithubDouble(new FakeTime());
        manifest = dir.resolve("rotation.yml");
        Files.writeString(manifest, """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  gh:
                    type: github
                    repositories: [acme/web, acme/api, acme/worker]
                    token: "${env:ROTOR_GITHUB_TOKEN}"
                    api-url: "%s"
                    write-interval: 1ms
                secrets:
                  api-token:
                    generate: { type: password, length: 40 }
                    targets:
                      - { store: keys, name: api-token }
                      - { store: gh, name: API_TOKEN }
                      - { store: gh, environment: prod, name: API_TOKEN }
                """.formatted(github.url()));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private RotorRunner.Result rotate() {
        return RotorRunner.run(Map.of("ROTOR_GITHUB_TOKEN", "ghp_test_token_not_real"), "rotate", "-m", manifest.toString(),
                "--report", dir.resolve("report.json").toString());
    }

    private List<String> valuesEverywhere() {
        List<String> values = new ArrayList<>();
        for (String repo : REPOS) {
            values.add(github.value("/repos/" + repo + "/actions/secrets", "API_TOKEN").orElse(null));
            values.add(github.value("/repos/" + repo + "/environments/prod/secrets", "API_TOKEN").orElse(null));
        }
        return values;
    }

    @Test
    void everyDestinationGetsTheJournaledValueWithTheMinimumOfRequests() throws Exception {
        RotorRunner.Result r = rotate();
        assertEquals(0, r.exit(), r.err());
        String value = Files.readString(dir.resolve("keys/api-token"));
        assertEquals(List.of(value, value, value, value, value, value), valuesEverywhere());
        assertEquals(6, github.keyRequests(), "one public key per scope");
        assertEquals(12, github.requests(), "6 keys + 6 PUTs, nothing else");
        assertTrue(!r.all().contains(value));
        assertEquals(0, new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("resends").asInt());
    }

    @Test
    void eachResendIsAnnouncedAndTheReportCountsThemWhileFanOutLinesNameTheEnvironment() throws Exception {
        String path = "/repos/acme/web/actions/secrets/API_TOKEN";
        github.failNextWrites(path, 2, 502);
        RotorRunner.Result r = rotate();
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.err().lines().filter(line -> line.startsWith("github: ")).toList();
        List<String> resends = lines.stream().filter(line -> line.contains(" retry ")).toList();
        assertEquals(2, resends.size(), r.err());
        GithubStubs.assertWait("github: PUT " + path + " answered 502, retry 1/5 in ", 0.5, 1.0, resends.get(0));
        GithubStubs.assertWait("github: PUT " + path + " answered 502, retry 2/5 in ", 1.0, 2.0, resends.get(1));
        assertEquals(List.of(
                "github: 1/3 destinations written (API_TOKEN)",
                "github: 2/3 destinations written (API_TOKEN)",
                "github: 3/3 destinations written (API_TOKEN)",
                "github: 1/3 destinations written (API_TOKEN, environment prod)",
                "github: 2/3 destinations written (API_TOKEN, environment prod)",
                "github: 3/3 destinations written (API_TOKEN, environment prod)"),
                lines.stream().filter(line -> !resends.contains(line)).toList());
        assertEquals(2, new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("resends").asInt());
        String value = Files.readString(dir.resolve("keys/api-token"));
        assertEquals(List.of(value, value, value, value, value, value), valuesEverywhere());
        assertTrue(!r.all().contains(value));
    }

    @Test
    void aPermanentFailureOfOneDestinationIsReportedExactlyAndTheReRunFinishesWithTheSameValue() throws Exception {
        github.refuseWritesUnder("/repos/acme/api/environments/prod");
        RotorRunner.Result failed = rotate();
        assertEquals(3, failed.exit(), failed.err());
        assertTrue(failed.err().contains("--secret api-token --resume --run-id"), failed.err());
        String pending = new ObjectMapper().readTree(dir.resolve("keys/.rotor/journal/api-token.json").toFile())
                .get("pending").asText();
        JsonNode envTarget = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("units").get(0)
                .get("targets").get(2);
        assertEquals("partial", envTarget.get("status").asText());
        assertEquals(2, envTarget.get("destinationsWritten").size());
        assertEquals(1, envTarget.get("destinationsBehind").size());
        assertTrue(envTarget.get("destinationsBehind").get(0).asText().contains("acme/api"), envTarget.toString());

        github.refuseWritesUnder(null);
        RotorRunner.Result finished = rotate();
        assertEquals(0, finished.exit(), finished.err());
        assertEquals(List.of(pending, pending, pending, pending, pending, pending), valuesEverywhere());
        assertEquals(pending, Files.readString(dir.resolve("keys/api-token")));
    }
}
