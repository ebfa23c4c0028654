package dev.rotor.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.rotor.store.ProviderContext;

/**
 * The bounded retry loop every HTTP client shares (promise 11). An attempt ends in one of three ways, as the client
 * decides: an answer, which is returned; a transient failure (a lost connection or a timeout always; the statuses
 * the client names, such as 5xx), sent again after the server's {@code Retry-After} (at most the policy's cap) or
 * else after jittered exponential backoff, {@code maxAttempts} attempts in all; or a throttle, a rate limit whose
 * wait the server names, waited out exactly, at most {@code maxWaits} times per request. Every resend is counted
 * for the run and announced on the progress sink with the store, method, path (without its query), the answer,
 * the attempt and the wait; never a body, a header or a token.
 */
public final class Retry {
    /** How a client retries: attempts in all for transient failures, the backoff's base and cap, and throttle waits. */
    public record Policy(int maxAttempts, Duration baseDelay, Duration maxDelay, int maxWaits) {
    }

    /** What one attempt came to: an answer to return, or what went wrong and how long the server asked to wait. */
    public static final class Outcome<T> {
        private final T answer;
        private final String failure;
        private final Duration wait;
        private final boolean throttled;

        private Outcome(T answer, String failure, Duration wait, boolean throttled) {
            this.answer = answer;
            this.failure = failure;
            this.wait = wait;
            this.throttled = throttled;
        }

        public static <T> Outcome<T> answer(T answer) {
            return new Outcome<>(answer, null, null, false);
        }

        /** A transient failure, e.g. "answered 502"; {@code retryAfter} is the server's wait, if it named one. */
        public static <T> Outcome<T> failed(String failure, Optional<Duration> retryAfter) {
            return new Outcome<>(null, failure, retryAfter.orElse(null), false);
        }

        /** A rate limit: wait exactly {@code wait}, then send again. */
        public static <T> Outcome<T> throttled(String failure, Duration wait) {
            return new Outcome<>(null, failure, wait, true);
        }

        public String failure() {
            return failure;
        }

        public boolean throttled() {
            return throttled;
        }
    }

    /** Sends the request once. */
    @FunctionalInterface
    public interface Attempt<T> {
        Outcome<T> send() throws IOException, InterruptedException;
    }

    /** The exception to throw when the bounds are spent: {@code times} failures like {@code last} in a row. */
    @FunctionalInterface
    public interface GiveUp {
        RuntimeException exception(Outcome<?> last, int times);
    }

    private final String label;
    private final Policy policy;
    private final Time time;
    private final Consumer<String> progress;
    private final ProviderContext.Resends resends;
    private final AtomicLong transientResends = new AtomicLong();
    private final AtomicLong waitedMillis = new AtomicLong();

    /** @param label how progress lines name the store, e.g. {@code github} */
    public Retry(String label, Policy policy, Time time, Consumer<String> progress, ProviderContext.Resends resends) {
        this.label = label;
        this.policy = policy;
        this.time = time;
        this.progress = progress == null ? line -> { } : progress;
        this.resends = resends == null ? new ProviderContext.Resends() : resends;
    }

    /** Runs attempts until one gives an answer; throws what {@code giveUp} makes once a bound is spent. */
    public <T> T send(String method, String path, Attempt<T> attempt, GiveUp giveUp) throws InterruptedException {
        int failures = 0;
        int waits = 0;
        while (true) {
            Outcome<T> outcome;
            try {
                outcome = attempt.send();
            } catch (IOException e) {
                outcome = Outcome.failed(describe(e), Optional.empty());
            }
            if (outcome.failure == null) {
                return outcome.answer;
            }
            Duration wait;
            String retry;
            if (outcome.throttled) {
                if (++waits > policy.maxWaits()) {
                    throw giveUp.exception(outcome, waits);
                }
                wait = outcome.wait;
                retry = ", waiting " + (wait.toMillis() + 999) / 1000 + "s, retry " + waits + "/" + policy.maxWaits();
            } else {
                if (++failures >= policy.maxAttempts()) {
                    throw giveUp.exception(outcome, failures);
                }
                wait = outcome.wait == null ? backoff(failures)
                        : outcome.wait.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : outcome.wait;
                retry = ", retry " + failures + "/" + (policy.maxAttempts() - 1) + " in "
                        + String.format(Locale.ROOT, "%.1f s", wait.toMillis() / 1000.0);
                transientResends.incrementAndGet();
            }
            resends.add();
            progress.accept(label + ": " + method + " " + Requests.withoutQuery(path) + " " + outcome.failure + retry);
            waitedMillis.addAndGet(wait.toMillis());
            time.sleep(wait);
        }
    }

    /** Resends after transient failures by this client (rate-limit waits apart). */
    public long transientResends() {
        return transientResends.get();
    }

    /** Time spent waiting before resends. */
    public Duration waited() {
        return Duration.ofMillis(waitedMillis.get());
    }

    /** Full jitter between half and all of {@code base·2^(failures-1)}, capped at the policy's maximum. */
    public Duration backoff(int failures) {
        long ceiling = Math.min(policy.maxDelay().toMillis(), policy.baseDelay().toMillis() << Math.min(failures - 1, 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    /** The wait a {@code Retry-After} value asks for (delay-seconds or an HTTP-date); empty when absent or unreadable. */
    public static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "failed TLS (check the certificate and its chain)";
        }
        return e instanceof ConnectException ? "could not be reached" : "connection reset";
    }
}
