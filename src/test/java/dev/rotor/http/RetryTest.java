package dev.rotor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.rotor.github.FakeTime;
import dev.rotor.store.ProviderContext;

/** The shared retry loop: what it retries, how long it waits, its bounds, and the line and count of every resend. */
class RetryTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z"); // FakeTime's start
    private static final Retry.Policy POLICY = new Retry.Policy(4, Duration.ofSeconds(1), Duration.ofSeconds(5), 2);

    private final FakeTime time = new FakeTime();
    private final List<String> progress = new ArrayList<>();
    private final ProviderContext.Resends resends = new ProviderContext.Resends();
    private final Retry retry = new Retry("github", POLICY, time, progress::add, resends);

    /** Answers the attempts in order: an outcome, or an IOException to throw. */
    private static Retry.Attempt<String> script(Object... answers) {
        Deque<Object> queue = new ArrayDeque<>(List.of(answers));
        return () -> {
            Object next = queue.removeFirst();
            if (next instanceof IOException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            Retry.Outcome<String> outcome = (Retry.Outcome<String>) next;
            return outcome;
        };
    }

    private static Retry.Outcome<String> failed(int status) {
        return Retry.Outcome.failed("answered " + status, Optional.empty());
    }

    private static final Retry.GiveUp GIVE_UP = (last, times) ->
            new IllegalStateException(last.failure() + " " + times + " times" + (last.throttled() ? " (throttled)" : ""));

    @Test
    void transientFailuresAreResentWithJitteredGrowingBackoffAndEachResendIsAnnouncedAndCounted() throws Exception {
        String answer = retry.send("PUT", "/repos/acme/web/actions/secrets/DB_URL", script(failed(502),
                new IOException("Connection reset"), Retry.Outcome.answer("created")), GIVE_UP);
        assertEquals("created", answer);
        assertEquals(2, time.sleeps().size());
        assertBetween(Duration.ofMillis(500), Duration.ofSeconds(1), time.sleeps().get(0));
        assertBetween(Duration.ofSeconds(1), Duration.ofSeconds(2), time.sleeps().get(1));
        assertEquals(2, progress.size(), progress.toString());
        assertLine("github: PUT /repos/acme/web/actions/secrets/DB_URL answered 502, retry 1/3 in (\\d\\.\\d) s",
                progress.get(0), time.sleeps().get(0));
        assertLine("github: PUT /repos/acme/web/actions/secrets/DB_URL connection reset, retry 2/3 in (\\d\\.\\d) s",
                progress.get(1), time.sleeps().get(1));
        assertEquals(2, resends.count());
        assertEquals(2, retry.transientResends());
        assertEquals(time.sleeps().get(0).plus(time.sleeps().get(1)), retry.waited());
    }

    @Test
    void transientFailuresAreBoundedByTheAttemptsInAll() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> retry.send("GET", "/x", script(failed(503), failed(503), failed(503), failed(503)), GIVE_UP));
        assertEquals("answered 503 4 times", e.getMessage());
        assertEquals(3, time.sleeps().size(), "no wait after the last attempt");
        assertEquals(3, resends.count());
        assertEquals(List.of("github: GET /x answered 503, retry 1/3 in", "github: GET /x answered 503, retry 2/3 in",
                "github: GET /x answered 503, retry 3/3 in"), progress.stream().map(l -> l.replaceAll(" \\d+\\.\\d s$", "")).toList());
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() throws Exception {
        retry.send("GET", "/x", script(Retry.Outcome.failed("answered 503", Optional.of(Duration.ofSeconds(3))),
                Retry.Outcome.failed("answered 429", Optional.of(Duration.ofSeconds(120))), Retry.Outcome.answer("ok")), GIVE_UP);
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(5)), time.sleeps());
        assertEquals(List.of("github: GET /x answered 503, retry 1/3 in 3.0 s", "github: GET /x answered 429, retry 2/3 in 5.0 s"),
                progress);
    }

    @Test
    void throttlesWaitExactlyWhatTheServerNamedUnderTheirOwnBound() throws Exception {
        retry.send("PUT", "/x", script(Retry.Outcome.throttled("answered 403 (rate limited)", Duration.ofSeconds(37)),
                failed(502), Retry.Outcome.throttled("answered 429 (rate limited)", Duration.ofMillis(1500)),
                Retry.Outcome.answer("ok")), GIVE_UP);
        assertEquals(Duration.ofSeconds(37), time.sleeps().get(0));
        assertEquals(Duration.ofMillis(1500), time.sleeps().get(2));
        assertEquals(3, progress.size(), progress.toString());
        assertEquals("github: PUT /x answered 403 (rate limited), waiting 37s, retry 1/2", progress.get(0));
        assertLine("github: PUT /x answered 502, retry 1/3 in (\\d\\.\\d) s", progress.get(1), time.sleeps().get(1));
        assertEquals("github: PUT /x answered 429 (rate limited), waiting 2s, retry 2/2", progress.get(2));
        assertEquals(3, resends.count(), "a throttled request sent again is a resend");
        assertEquals(1, retry.transientResends());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> retry.send("PUT", "/x",
                script(Retry.Outcome.throttled("answered 403 (rate limited)", Duration.ofSeconds(1)),
                        Retry.Outcome.throttled("answered 403 (rate limited)", Duration.ofSeconds(1)),
                        Retry.Outcome.throttled("answered 403 (rate limited)", Duration.ofSeconds(1))), GIVE_UP));
        assertEquals("answered 403 (rate limited) 3 times (throttled)", e.getMessage());
    }

    @Test
    void lostConnectionsAreNamedAndQueriesNeverReachALine() throws Exception {
        retry.send("GET", "/orgs/acme/repos?per_page=100&page=2", script(new HttpTimeoutException("request timed out"),
                new ConnectException("Connection refused"), Retry.Outcome.answer("ok")), GIVE_UP);
        assertEquals(2, progress.size(), progress.toString());
        assertLine("github: GET /orgs/acme/repos timed out, retry 1/3 in (\\d\\.\\d) s", progress.get(0), time.sleeps().get(0));
        assertLine("github: GET /orgs/acme/repos could not be reached, retry 2/3 in (\\d\\.\\d) s", progress.get(1), time.sleeps().get(1));
    }

    @Test
    void anAnswerIsReturnedAtOnceWithoutALine() throws Exception {
        Object answer = new Object();
        assertSame(answer, retry.send("GET", "/x", () -> Retry.Outcome.answer(answer), GIVE_UP));
        assertEquals(List.of(), progress);
        assertEquals(List.of(), time.sleeps());
        assertEquals(0, resends.count());
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertEquals(Optional.of(Duration.ofSeconds(37)), Retry.retryAfter(Optional.of(" 37 "), NOW));
        assertEquals(Optional.of(Duration.ofSeconds(90)), Retry.retryAfter(Optional.of("Thu, 01 Jan 2026 00:01:30 GMT"), NOW));
        assertEquals(Optional.of(Duration.ZERO), Retry.retryAfter(Optional.of("Wed, 31 Dec 2025 23:00:00 GMT"), NOW));
        assertEquals(Optional.empty(), Retry.retryAfter(Optional.of("soon"), NOW));
        assertEquals(Optional.empty(), Retry.retryAfter(Optional.empty(), NOW));
    }

    @Test
    void theBackoffCeilingDoublesUpToTheCap() {
        for (int i = 0; i < 200; i++) {
            assertBetween(Duration.ofMillis(500), Duration.ofSeconds(1), retry.backoff(1));
            assertBetween(Duration.ofSeconds(2), Duration.ofSeconds(4), retry.backoff(3));
            assertBetween(Duration.ofMillis(2500), Duration.ofSeconds(5), retry.backoff(30));
        }
    }

    private static void assertBetween(Duration low, Duration high, Duration actual) {
        assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0, actual + " not in [" + low + ", " + high + "]");
    }

    /** The line matches, and the wait it names is the wait that was slept, to a tenth of a second. */
    private static void assertLine(String regex, String line, Duration slept) {
        Matcher m = Pattern.compile(regex).matcher(line);
        assertTrue(m.matches(), line + " does not match " + regex);
        assertEquals(String.format(java.util.Locale.ROOT, "%.1f", slept.toMillis() / 1000.0), m.group(1));
    }
}
