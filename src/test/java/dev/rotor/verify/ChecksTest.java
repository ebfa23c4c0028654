package dev.rotor.verify;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.rotor.manifest.CheckSpec;
import dev.rotor.manifest.Location;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecksTest {
    private static final String VALUE = "s3cret-value-for-checks";
    private static final dev.rotor.manifest.SecretValue SECRET = dev.rotor.manifest.SecretValue.of(VALUE);
    private WireMockServer server;
    private final List<String> progress = new java.util.ArrayList<>();
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private Check check(Map<String, Object> options) {
        String type = options.containsKey("http") ? "http" : "command";
        return Checks.create(new CheckSpec(type, options, Location.UNKNOWN),
                (template, value) -> value == null ? template : template.replace("${secret}", value.value()), dir, progress::add);
    }

    @Test
    void httpRetriesWithBackoffUntilTheExpectedStatusAndBody() {
        server.stubFor(get("/api/healthz").inScenario("restart").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        server.stubFor(get("/api/healthz").inScenario("restart").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("{\"status\":\"ok\",\"db\":\"connected\"}")));
        Check healthz = check(Map.of("http", server.baseUrl() + "/api/healthz", "expect", 200,
                "contains", "connected", "retries", 3, "interval", "10ms"));
        assertDoesNotThrow(() -> healthz.run(SECRET));
        server.verify(2, getRequestedFor(urlEqualTo("/api/healthz")));
        assertEquals(1, progress.size(), progress.toString());
        assertTrue(progress.get(0).matches("http: GET " + java.util.regex.Pattern.quote(server.baseUrl())
                + "/api/healthz answered 503 without the expected text, retry 1/3 in 0\\.0 s"), progress.get(0));
    }

    @Test
    void httpGivesUpAfterItsRetriesAndSaysWhatItSaw() {
        server.stubFor(get("/down").willReturn(aResponse().withStatus(502)));
        Check down = check(Map.of("http", server.baseUrl() + "/down", "expect", List.of(200, 204), "retries", 2,
                "interval", "5ms", "timeout", "2s"));
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> down.run(SECRET));
        assertTrue(e.getMessage().endsWith("/down: expected [200, 204]; the last of 3 attempts answered 502"),
                e.getMessage());
        server.verify(3, getRequestedFor(urlEqualTo("/down")));
    }

    @Test
    void commandGetsTheValueInItsEnvironmentAndItsOutputIsNeverKept() throws Exception {
        Path seen = dir.resolve("seen");
        Check migration = check(Map.of("command", "echo \"$DATABASE_URL\"; printf %s \"$DATABASE_URL\" > " + seen,
                "env", Map.of("DATABASE_URL", "postgresql://app:${secret}@db/app")));
        migration.run(SECRET);
        assertEquals("postgresql://app:" + VALUE + "@db/app", Files.readString(seen));
    }

    @Test
    void aFailingCommandReportsItsExitCodeNeverItsOutput() {
        Check failing = check(Map.of("command", List.of("sh", "-c", "echo ${secret}; exit 7")));
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> failing.run(SECRET));
        assertTrue(e.getMessage().endsWith("exit code 7"), e.getMessage());
        assertFalse(e.getMessage().contains(VALUE));
    }

    @Test
    void aCommandThatHangsIsStoppedAtItsTimeout() {
        Check hanging = check(Map.of("command", "sleep 30", "timeout", "200ms"));
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> hanging.run(SECRET));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }
}
