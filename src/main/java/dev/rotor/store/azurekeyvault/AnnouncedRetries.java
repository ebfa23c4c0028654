package dev.rotor.store.azurekeyvault;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryStrategy;

import dev.rotor.http.Retry;
import dev.rotor.store.ProviderContext;

/**
 * The retry strategy of the SDK's RetryPolicy, bounded and announced: the SDK's own exponential backoff (jittered,
 * capped), a server's {@code Retry-After} honoured up to the same cap, and only what is transient retried (408, 429,
 * 5xx but 501/505, and I/O failures; never an authentication failure, which the SDK would otherwise resend). Every
 * retry is a progress line (store, method, path without query, answer, attempt, wait) and counted for the run.
 */
final class AnnouncedRetries implements RetryStrategy {
    private final String storeName;
    private final int maxRetries;
    private final Duration maxDelay;
    private final ExponentialBackoff backoff;
    private final Consumer<String> progress;
    private final ProviderContext.Resends resends;

    AnnouncedRetries(String storeName, int maxRetries, Duration baseDelay, Duration maxDelay, Consumer<String> progress,
                     ProviderContext.Resends resends) {
        this.storeName = storeName;
        this.maxRetries = maxRetries;
        this.maxDelay = maxDelay;
        this.backoff = new ExponentialBackoff(new ExponentialBackoffOptions().setMaxRetries(maxRetries)
                .setBaseDelay(baseDelay).setMaxDelay(maxDelay));
        this.progress = progress == null ? line -> { } : progress;
        this.resends = resends == null ? new ProviderContext.Resends() : resends;
    }

    @Override
    public int getMaxRetries() {
        return maxRetries;
    }

    @Override
    public boolean shouldRetryCondition(RequestRetryCondition condition) {
        if (condition.getResponse() != null) {
            return backoff.shouldRetry(condition.getResponse());
        }
        Throwable failure = condition.getThrowable();
        return failure instanceof IOException || failure instanceof TimeoutException;
    }

    @Override
    public Duration calculateRetryDelay(int retryAttempts) {
        return backoff.calculateRetryDelay(retryAttempts);
    }

    /** Called by RetryPolicy once for every retry it is about to make: the wait, announced and counted. */
    @Override
    public Duration calculateRetryDelay(RequestRetryCondition condition) {
        HttpResponse response = condition.getResponse();
        Optional<Duration> asked = response == null ? Optional.empty()
                : Retry.retryAfter(Optional.ofNullable(response.getHeaderValue("Retry-After")), Instant.now());
        Duration wait = asked.map(d -> d.compareTo(maxDelay) > 0 ? maxDelay : d)
                .orElseGet(() -> backoff.calculateRetryDelay(condition.getTryCount()));
        String what = response == null ? "Key Vault request " + failure(condition.getThrowable())
                : describe(response.getRequest()) + " answered " + response.getStatusCode();
        resends.add();
        progress.accept(storeName + ": " + what + ", retry " + (condition.getTryCount() + 1) + "/" + maxRetries
                + " in " + String.format(Locale.ROOT, "%.1f s", wait.toMillis() / 1000.0));
        return wait;
    }

    /** Method and path, never the query or a header. */
    private static String describe(HttpRequest request) {
        URL url = request.getUrl();
        return request.getHttpMethod() + " " + url.getPath();
    }

    private static String failure(Throwable failure) {
        if (failure instanceof TimeoutException || failure instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        return failure instanceof java.net.ConnectException ? "could not reach the vault" : "lost its connection";
    }
}
