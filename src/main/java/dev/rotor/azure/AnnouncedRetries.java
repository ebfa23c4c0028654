package dev.rotor.azure;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryStrategy;

import dev.rotor.http.Retry;

/**
 * The strategy behind azure-core's own {@code RetryPolicy}: 408, 429 and 5xx answers and transport failures are
 * retried a bounded number of times with jittered exponential backoff ({@link Retry#backoff}); {@code Retry-After}
 * (or {@code retry-after-ms}) is honoured up to the same cap. Every resend is announced as a progress line (method
 * and path, never the query) and counted for the run's report.
 */
final class AnnouncedRetries implements RetryStrategy {
    private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");
    private static final HttpHeaderName X_MS_RETRY_AFTER_MS = HttpHeaderName.fromString("x-ms-retry-after-ms");

    private final String label;
    private final AzureConnection.Retries bounds;
    private final Retry backoff;
    private final Consumer<String> progress;
    private final Runnable counted;

    AnnouncedRetries(String label, AzureConnection.Retries bounds, Consumer<String> progress, Runnable counted) {
        this.label = label;
        this.bounds = bounds;
        this.backoff = new Retry(label, new Retry.Policy(bounds.attempts(), bounds.base(), bounds.cap(), 0),
                dev.rotor.http.Time.SYSTEM, null, null);
        this.progress = progress;
        this.counted = counted;
    }

    @Override
    public int getMaxRetries() {
        return bounds.attempts() - 1;
    }

    @Override
    public boolean shouldRetry(HttpResponse response) {
        int status = response.getStatusCode();
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    @Override
    public boolean shouldRetryException(Throwable failure) {
        return AzureConnection.transport(failure);
    }

    @Override
    public Duration calculateRetryDelay(int retryAttempts) {
        return backoff.backoff(retryAttempts + 1);
    }

    /** Every wait passes here (see {@link AzureConnection}: the policy is told to read no header itself). */
    @Override
    public Duration calculateRetryDelay(RequestRetryCondition condition) {
        HttpResponse response = condition.getResponse();
        int retry = condition.getTryCount() + 1;
        Duration wait = response == null ? null : retryAfter(response).orElse(null);
        wait = wait == null ? calculateRetryDelay(condition.getTryCount())
                : wait.compareTo(bounds.cap()) > 0 ? bounds.cap() : wait;
        String what;
        if (response != null) {
            HttpRequest request = response.getRequest();
            // decoded (a blob name's slashes travel as %2F); the query is left out, as it may carry a signature
            what = request.getHttpMethod() + " " + java.net.URI.create(request.getUrl().toString()).getPath() + " answered "
                    + response.getStatusCode();
        } else {
            what = "a request failed (" + condition.getThrowable().getClass().getSimpleName() + ")";
        }
        counted.run();
        progress.accept(label + ": " + what + ", retry " + retry + "/" + getMaxRetries() + " in "
                + String.format(java.util.Locale.ROOT, "%.1f s", wait.toMillis() / 1000.0));
        return wait;
    }

    private static Optional<Duration> retryAfter(HttpResponse response) {
        for (HttpHeaderName millis : new HttpHeaderName[] {RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS}) {
            String value = response.getHeaderValue(millis);
            if (value != null && value.trim().matches("\\d+")) {
                return Optional.of(Duration.ofMillis(Long.parseLong(value.trim())));
            }
        }
        return Retry.retryAfter(Optional.ofNullable(response.getHeaderValue(HttpHeaderName.RETRY_AFTER)), Instant.now());
    }
}
