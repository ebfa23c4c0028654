package dev.rotor.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.rotor.github.GithubStubs.address;
import static dev.rotor.github.GithubStubs.github;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import dev.rotor.store.StoreException;
import dev.rotor.store.github.GithubStore;

/** Waits on 403/429 and the primary limit, retries 5xx and lost answers, paces writes: all in virtual time. */
class GithubRateLimitTest {
    private static final String BASE = "/repos/acme/web/actions/secrets";
    private static final String PATH = BASE + "/S";
    private static final long FAKE_EPOCH = 1767225600L; // FakeTime's start

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final GithubStubs gh = new GithubStubs(wm);

    @BeforeEach
    void key() {
        gh.publicKey(BASE);
    }

    /** The first PUT gets {@code refusal}, the next one 201. */
    private void firstRefusedThenCreated(ResponseDefinitionBuilder refusal) {
        wm.stubFor(put(urlEqualTo(PATH)).inScenario("limit").whenScenarioStateIs(STARTED)
                .willReturn(refusal).willSetStateTo("open"));
        wm.stubFor(put(urlEqualTo(PATH)).inScenario("limit").whenScenarioStateIs("open").willReturn(github(201, null)));
    }

    private GithubStore store() {
        return gh.open(Map.of("repository", "acme/web"));
    }

    @Test
    void secondaryLimitWithRetryAfterIsWaitedOut() {
        firstRefusedThenCreated(github(403, GithubStubs.SECONDARY_LIMIT_BODY).withHeader("retry-after", "37"));
        GithubStore store = store();
        store.write(address("S"), "v");
        assertTrue(gh.time.sleeps().contains(Duration.ofSeconds(37)), gh.time.sleeps().toString());
        assertEquals(List.of("v", "v"), gh.written(BASE, "S"), "the same sealed write sent again");
        assertEquals(1, store.stats().rateLimitRefusals());
        assertTrue(gh.progress.stream().anyMatch(line -> line.contains("waiting 37s")), gh.progress.toString());
    }

    @Test
    void tooManyRequestsWithRetryAfterIsWaitedOut() {
        firstRefusedThenCreated(github(429, "{\"message\":\"Too Many Requests\"}").withHeader("retry-after", "8"));
        store().write(address("S"), "v");
        assertTrue(gh.time.sleeps().contains(Duration.ofSeconds(8)), gh.time.sleeps().toString());
    }

    @Test
    void secondaryLimitWithoutRetryAfterWaitsAMinute() {
        firstRefusedThenCreated(github(403, GithubStubs.SECONDARY_LIMIT_BODY));
        store().write(address("S"), "v");
        assertTrue(gh.time.longestSleep().compareTo(Duration.ofSeconds(60)) >= 0, gh.time.sleeps().toString());
        wm.verify(2, putRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void spentPrimaryLimitWaitsForItsReset() {
        firstRefusedThenCreated(aResponse().withStatus(403).withBody("{\"message\":\"API rate limit exceeded for user ID 1.\","
                + "\"documentation_url\":\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\",\"status\":\"403\"}")
                .withHeader("x-ratelimit-limit", "5000").withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", String.valueOf(FAKE_EPOCH + 600)));
        store().write(address("S"), "v");
        assertTrue(gh.time.longestSleep().compareTo(Duration.ofSeconds(590)) >= 0, gh.time.sleeps().toString());
        wm.verify(2, putRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() {
        firstRefusedThenCreated(github(502, "{\"message\":\"Server Error\"}"));
        GithubStore store = store();
        store.write(address("S"), "v");
        assertEquals(1, store.stats().transientRetries());
        assertEquals(List.of("v", "v"), gh.written(BASE, "S"));
    }

    @Test
    void aPutWhoseAnswerWasLostIsSentAgainAndCountsOnce() {
        firstRefusedThenCreated(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        GithubStore store = store();
        assertTrue(store.write(address("S"), "v").changed());
        wm.verify(2, putRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void eachResendIsAnnouncedWithTheAnswerTheAttemptAndTheWait() {
        wm.stubFor(put(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(github(502, "{\"message\":\"Server Error\"}")).willSetStateTo("reset"));
        wm.stubFor(put(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("limited"));
        wm.stubFor(put(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("limited")
                .willReturn(github(403, GithubStubs.SECONDARY_LIMIT_BODY).withHeader("retry-after", "3")).willSetStateTo("open"));
        wm.stubFor(put(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("open").willReturn(github(201, null)));
        store().write(address("S"), "secret-value");
        assertEquals(3, gh.progress.size(), gh.progress.toString());
        GithubStubs.assertWait("github: PUT " + PATH + " answered 502, retry 1/5 in ", 0.5, 1.0, gh.progress.get(0));
        GithubStubs.assertWait("github: PUT " + PATH + " connection reset, retry 2/5 in ", 1.0, 2.0, gh.progress.get(1));
        assertEquals("github: PUT " + PATH + " answered 403 (rate limited), waiting 3s, retry 1/30", gh.progress.get(2));
        assertTrue(gh.time.sleeps().contains(Duration.ofSeconds(3)), gh.time.sleeps().toString());
        assertEquals(List.of("secret-value", "secret-value", "secret-value", "secret-value"), gh.written(BASE, "S"));
    }

    @Test
    void retriesAreBounded() {
        wm.stubFor(put(urlEqualTo(PATH)).willReturn(github(503, "{\"message\":\"Service Unavailable\"}")));
        StoreException e = assertThrows(StoreException.class, () -> store().write(address("S"), "v"));
        assertEquals(StoreException.Kind.TRANSIENT, e.kind());
        wm.verify(6, putRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void writesAreSerialAndPacedAtTheWriteInterval() {
        gh.putSecret(BASE, "S", 201);
        gh.putSecret(BASE, "T", 201);
        GithubStore store = gh.open(Map.of("repository", "acme/web", "write-interval", "1500ms"));
        java.time.Instant start = gh.time.now();
        store.write(address("S"), "1");
        store.write(address("T"), "2");
        store.write(address("S"), "3");
        assertEquals(Duration.ofMillis(3000), Duration.between(start, gh.time.now()), gh.time.sleeps().toString());
    }

    @Test
    void theHourlyContentBudgetIsKeptWithoutARefusal() {
        gh.putSecret(BASE, "S", 201);
        GithubStore store = gh.open(Map.of("repository", "acme/web", "write-interval", "0s", "writes-per-minute", 0,
                "writes-per-hour", 3));
        java.time.Instant start = gh.time.now();
        for (int i = 0; i < 4; i++) {
            store.write(address("S"), "v" + i);
        }
        assertTrue(Duration.between(start, gh.time.now()).compareTo(Duration.ofHours(1)) >= 0);
        assertEquals(0, store.stats().rateLimitRefusals());
    }
}
