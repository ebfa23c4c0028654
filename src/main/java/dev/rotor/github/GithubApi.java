package dev.rotor.github;

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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.store.StoreException;

/**
 * The one path every GitHub request takes, so counting, pacing and retries are the same for every call:
 * bounded concurrency; content-creating requests serial and paced ({@link WritePacer}); the primary rate limit
 * ({@code x-ratelimit-remaining}/{@code x-ratelimit-reset}) and secondary limits (403/429 with {@code retry-after},
 * else GitHub's "wait a minute, then back off exponentially") honoured by waiting, for every thread at once;
 * 5xx and connection failures retried with jittered exponential backoff, boundedly. Every request is idempotent
 * (a PUT whose answer was lost is sent again with the same body). Messages carry paths and statuses, never bodies
 * that were sent.
 */
public final class GithubApi {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SECONDARY_DEFAULT_WAIT = Duration.ofMinutes(1);
    private static final Duration MAX_SECONDARY_WAIT = Duration.ofMinutes(15);
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
    private final Consumer<String> progress;
    private final Object pauseLock = new Object();
    private Instant pausedUntil = Instant.MIN;
    private int consecutiveSecondary;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong waitedMillis = new AtomicLong();
    private final int maxTransientAttempts;
    private final int maxRateLimitWaits;

    public GithubApi(HttpClient http, String baseUrl, Time time, WritePacer.Limits limits, int concurrency,
                     Consumer<String> progress) {
        this(http, baseUrl, time, limits, concurrency, progress, 6, 30);
    }

    public GithubApi(HttpClient http, String baseUrl, Time time, WritePacer.Limits limits, int concurrency,
                     Consumer<String> progress, int maxTransientAttempts, int maxRateLimitWaits) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.time = time;
        this.pacer = new WritePacer(limits, time);
        this.inFlight = new Semaphore(Math.max(1, concurrency), true);
        this.progress = progress == null ? s -> { } : progress;
        this.maxTransientAttempts = maxTransientAttempts;
        this.maxRateLimitWaits = maxRateLimitWaits;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Time time() {
        return time;
    }

    public Stats stats() {
        return new Stats(requests.get(), refusals.get(), retries.get(), Duration.ofMillis(waitedMillis.get()));
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
        int transientFailures = 0;
        int rateLimitWaits = 0;
        try {
            while (true) {
                Response response;
                String failure;
                try {
                    response = attempt(method, path, jsonBody, authorization, write);
                    failure = null;
                } catch (IOException e) {
                    response = null;
                    failure = e instanceof java.net.http.HttpTimeoutException ? "timed out" : "connection failed";
                }
                if (response != null) {
                    observePrimary(response);
                    Optional<Duration> limited = rateLimitWait(response);
                    if (limited.isPresent()) {
                        refusals.incrementAndGet();
                        if (++rateLimitWaits > maxRateLimitWaits) {
                            throw new StoreException(StoreException.Kind.TRANSIENT, "GitHub kept refusing " + method + " "
                                    + path + " for its rate limits after " + maxRateLimitWaits + " waits",
                                    "re-run later; lower `concurrency` or raise `write-interval` in the store settings");
                        }
                        pauseAll(limited.get(), method + " " + path);
                        continue;
                    }
                    synchronized (pauseLock) {
                        consecutiveSecondary = 0;
                    }
                    if (response.status() < 500) {
                        return response;
                    }
                    failure = "answered " + response.status();
                }
                if (++transientFailures >= maxTransientAttempts) {
                    throw new StoreException(StoreException.Kind.TRANSIENT, "GitHub " + method + " " + path + " "
                            + failure + " " + transientFailures + " times", "re-run: every GitHub write is idempotent");
                }
                retries.incrementAndGet();
                sleep(backoff(transientFailures));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted during GitHub " + method + " " + path);
        }
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
            if (jsonBody != null) {
                builder.header("Content-Type", "application/json");
                builder.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
            } else {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpRequest request = builder.build();
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
            try {
                return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(retryAfter.get().trim()))));
            } catch (NumberFormatException e) {
                return Optional.of(SECONDARY_DEFAULT_WAIT);
            }
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

    private void pauseAll(Duration wait, String what) throws InterruptedException {
        Instant until = time.now().plus(wait);
        if (wait.compareTo(Duration.ofSeconds(5)) >= 0) {
            progress.accept("github: rate limited on " + what + ", waiting " + wait.toSeconds() + "s as GitHub asks");
        }
        extendPause(until);
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
        waitedMillis.addAndGet(duration.toMillis());
        time.sleep(duration);
    }

    /** Full jitter between half and all of 1s·2^n, capped at 30 s. */
    private static Duration backoff(int failures) {
        long cap = Math.min(30_000L, 1000L << Math.min(5, failures - 1));
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }
}
