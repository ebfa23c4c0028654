package dev.rotor.github;

import dev.rotor.http.Requests;
import dev.rotor.http.Retry;
import dev.rotor.http.Time;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;

/**
 * The one path every GitHub request takes, so counting, pacing and retries are the same for every call:
 * bounded concurrency; content-creating requests serial and paced ({@link WritePacer}); the primary rate limit
 * ({@code x-ratelimit-remaining}/{@code x-ratelimit-reset}) and secondary limits (403/429 with {@code retry-after},
 * else GitHub's "wait a minute, then back off exponentially") honoured by waiting, for every thread at once;
 * 5xx and connection failures retried with jittered exponential backoff, boundedly; both through {@link Retry},
 * which announces and counts every resend. Every request is idempotent
 * (a PUT whose answer was lost is sent again with the same body). Messages carry paths and statuses, never bodies
 * that were sent.
 */
public final class GithubApi {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SECONDARY_DEFAULT_WAIT = Duration.ofMinutes(1);
    private static final Duration MAX_SECONDARY_WAIT = Duration.ofMinutes(15);
    /** 5xx and lost answers: six attempts, 1 s, 2 s, 4 s … ≤ 30 s apart; up to 30 rate-limit waits per request. */
    private static final Retry.Policy RETRIES = new Retry.Policy(6, Duration.ofSeconds(1), Duration.ofSeconds(30), 30);
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"([^\"]*)\"");

    /** An answer from GitHub. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
            } catch (IOException e) {
                throw new StoreException(StoreException.Kind.FAILED, "GitHub answered " + status + " with a body that is not JSON");
            }
        }

        /** GitHub's own {@code message} field (server text about our request, never a value we sent). */
        public String message() {
            try {
                JsonNode node = JSON.readTree(body == null ? "" : body);
                return node != null && node.hasNonNull("message") ? node.get("message").asText() : "";
            } catch (IOException e) {
                return "";
            }
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /** Counters for reports, tests and the benchmark. */
    public record Stats(long requests, long rateLimitRefusals, long transientRetries, Duration waited) {
    }

    private final HttpClient http;
    private final String baseUrl;
    private final Time time;
    private final WritePacer pacer;
    private final Semaphore inFlight;
    private final ReentrantLock writeSlot = new ReentrantLock(true);
    private final Object pauseLock = new Object();
    private Instant pausedUntil = Instant.MIN;
    private int consecutiveSecondary;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong pausedMillis = new AtomicLong();
    private final Retry retry;

    public GithubApi(HttpClient http, String baseUrl, Time time, WritePacer.Limits limits, int concurrency,
                     Consumer<String> progress, ProviderContext.Resends resends) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.time = time;
        this.pacer = new WritePacer(limits, time);
        this.inFlight = new Semaphore(Math.max(1, concurrency), true);
        this.retry = new Retry("github", RETRIES, time, progress, resends);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Time time() {
        return time;
    }

    public Stats stats() {
        return new Stats(requests.get(), refusals.get(), retry.transientResends(),
                retry.waited().plusMillis(pausedMillis.get()));
    }

    /**
     * The next page of a paginated answer: the {@code rel="next"} link of GitHub's {@code Link} header as a path
     * under this API root, or empty on the last page. A link to anywhere else is refused: it would carry the token.
     */
    public Optional<String> nextPage(Response response) {
        for (String header : response.headers().allValues("link")) {
            Matcher link = LINK.matcher(header);
            while (link.find()) {
                if (!Arrays.asList(link.group(2).trim().split("\\s+")).contains("next")) {
                    continue;
                }
                String url = link.group(1).trim();
                if (!url.startsWith(baseUrl + "/")) {
                    throw new StoreException(StoreException.Kind.FAILED, "GitHub's next-page link leads outside "
                            + baseUrl + "; Rotor does not send the token there", "check api-url");
                }
                return Optional.of(url.substring(baseUrl.length()));
            }
        }
        return Optional.empty();
    }

    public Response get(String path, Supplier<String> authorization) {
        return send("GET", path, null, authorization);
    }

    public Response put(String path, String jsonBody, Supplier<String> authorization) {
        return send("PUT", path, jsonBody, authorization);
    }

    public Response post(String path, String jsonBody, Supplier<String> authorization) {
        return send("POST", path, jsonBody, authorization);
    }

    /**
     * Sends a request until GitHub gives an answer that is not a rate limit or a transient failure; returns it
     * (any status). Throws {@link StoreException} TRANSIENT when the bounds are spent.
     */
    public Response send(String method, String path, String jsonBody, Supplier<String> authorization) {
        boolean write = !"GET".equals(method);
        try {
            return retry.send(method, path, () -> classify(attempt(method, path, jsonBody, authorization, write)),
                    (last, times) -> last.throttled()
                            ? new StoreException(StoreException.Kind.TRANSIENT, "GitHub kept refusing " + method + " " + path
                                    + " for its rate limits after " + RETRIES.maxWaits() + " waits",
                                    "re-run later; lower `concurrency` or raise `write-interval` in the store settings")
                            : new StoreException(StoreException.Kind.TRANSIENT, "GitHub " + method + " " + path + " "
                                    + last.failure() + " " + times + " times", "re-run: every GitHub write is idempotent"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted during GitHub " + method + " " + path);
        }
    }

    /** A rate limit pauses every thread before this one waits it out; 5xx is transient; anything else is the answer. */
    private Retry.Outcome<Response> classify(Response response) {
        observePrimary(response);
        Optional<Duration> limited = rateLimitWait(response);
        if (limited.isPresent()) {
            refusals.incrementAndGet();
            extendPause(time.now().plus(limited.get()));
            return Retry.Outcome.throttled("answered " + response.status() + " (rate limited)", limited.get());
        }
        synchronized (pauseLock) {
            consecutiveSecondary = 0;
        }
        if (response.status() < 500) {
            return Retry.Outcome.answer(response);
        }
        return Retry.Outcome.failed("answered " + response.status(), Retry.retryAfter(response.header("retry-after"), time.now()));
    }

    private Response attempt(String method, String path, String jsonBody, Supplier<String> authorization, boolean write)
            throws IOException, InterruptedException {
        // before taking any slot: a GitHub App may first exchange its token through this same path
        String auth = authorization == null ? null : authorization.get();
        if (write) {
            writeSlot.lockInterruptibly();
        }
        try {
            while (true) {
                awaitPause();
                if (write) {
                    pacer.awaitTurn();
                }
                if (!paused()) {
                    break;
                }
            }
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("User-Agent", "rotor");
            if (auth != null) {
                builder.header("Authorization", auth);
            }
            HttpRequest request = Requests.withJson(builder, method, jsonBody).build();
            inFlight.acquire();
            try {
                requests.incrementAndGet();
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                return new Response(answer.statusCode(), answer.body(), answer.headers());
            } finally {
                inFlight.release();
                if (write) {
                    pacer.done();
                }
            }
        } finally {
            if (write) {
                writeSlot.unlock();
            }
        }
    }

    /** When the primary limit is spent, every request waits for its reset (even if this answer was a success). */
    private void observePrimary(Response response) {
        Optional<String> remaining = response.header("x-ratelimit-remaining");
        Optional<String> reset = response.header("x-ratelimit-reset");
        if (remaining.isPresent() && reset.isPresent() && "0".equals(remaining.get().trim()) && response.ok()) {
            try {
                Instant until = Instant.ofEpochSecond(Long.parseLong(reset.get().trim())).plusSeconds(1);
                extendPause(until);
            } catch (NumberFormatException ignored) {
                // a malformed header is no reason to fail a write
            }
        }
    }

    /** How long to wait when this answer is a rate limit, or empty when it is not one. */
    Optional<Duration> rateLimitWait(Response response) {
        int status = response.status();
        if (status != 403 && status != 429) {
            return Optional.empty();
        }
        Optional<String> retryAfter = response.header("retry-after");
        if (retryAfter.isPresent()) {
            return Optional.of(Retry.retryAfter(retryAfter, time.now()).map(wait -> wait.compareTo(Duration.ofSeconds(1)) < 0
                    ? Duration.ofSeconds(1) : wait).orElse(SECONDARY_DEFAULT_WAIT));
        }
        Optional<String> remaining = response.header("x-ratelimit-remaining");
        Optional<String> reset = response.header("x-ratelimit-reset");
        if (remaining.isPresent() && "0".equals(remaining.get().trim()) && reset.isPresent()) {
            try {
                Duration wait = Duration.between(time.now(), Instant.ofEpochSecond(Long.parseLong(reset.get().trim())));
                return Optional.of(wait.isNegative() ? Duration.ofSeconds(1) : wait.plusSeconds(1));
            } catch (NumberFormatException e) {
                return Optional.of(SECONDARY_DEFAULT_WAIT);
            }
        }
        String message = response.message().toLowerCase(Locale.ROOT);
        if (status == 429 || message.contains("rate limit") || message.contains("abuse")) {
            // GitHub: without retry-after, wait at least a minute, then back off exponentially while it persists
            synchronized (pauseLock) {
                long factor = 1L << Math.min(4, consecutiveSecondary++);
                Duration wait = SECONDARY_DEFAULT_WAIT.multipliedBy(factor);
                return Optional.of(wait.compareTo(MAX_SECONDARY_WAIT) > 0 ? MAX_SECONDARY_WAIT : wait);
            }
        }
        return Optional.empty();
    }

    private void extendPause(Instant until) {
        synchronized (pauseLock) {
            if (until.isAfter(pausedUntil)) {
                pausedUntil = until;
            }
        }
    }

    private boolean paused() {
        synchronized (pauseLock) {
            return time.now().isBefore(pausedUntil);
        }
    }

    private void awaitPause() throws InterruptedException {
        while (true) {
            Instant until;
            synchronized (pauseLock) {
                until = pausedUntil;
            }
            Instant now = time.now();
            if (!now.isBefore(until)) {
                return;
            }
            sleep(Duration.between(now, until));
        }
    }

    private void sleep(Duration duration) throws InterruptedException {
        pausedMillis.addAndGet(duration.toMillis());
        time.sleep(duration);
    }
}
