package dev.rotor.verify;

import dev.rotor.http.Retry;
import dev.rotor.http.Time;
import dev.rotor.manifest.Plural;
import dev.rotor.manifest.SecretValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** GET a URL until it answers an expected status (and body text), with bounded retries, backoff and jitter. */
final class HttpCheck implements Check {
    private final String url;
    private final List<Integer> expect;
    private final String contains;
    private final int retries;
    private final Duration interval;
    private final Duration timeout;
    private final java.util.function.Consumer<String> progress;

    HttpCheck(String url, List<Integer> expect, String contains, int retries, Duration interval, Duration timeout,
              java.util.function.Consumer<String> progress) {
        this.url = url;
        this.expect = expect;
        this.contains = contains;
        this.retries = retries;
        this.interval = interval;
        this.timeout = timeout;
        this.progress = progress;
    }

    @Override
    public String describe() {
        return "http " + url;
    }

    /**
     * Sends through the retry loop every HTTP client shares: a wrong status or body, a lost connection and a timeout
     * are tried again after jittered exponential backoff from {@code interval}, {@code retries} times, each resend
     * a progress line.
     */
    @Override
    public void run(SecretValue value) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        Retry retry = new Retry("http", new Retry.Policy(retries + 1, interval, interval.multipliedBy(32), 0),
                Time.SYSTEM, progress, null);
        try {
            retry.send("GET", url, () -> {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                boolean statusOk = expect.contains(response.statusCode());
                boolean bodyOk = contains == null || response.body().contains(contains);
                return statusOk && bodyOk ? Retry.Outcome.answer(Boolean.TRUE) : Retry.Outcome.failed("answered "
                        + response.statusCode() + (bodyOk ? "" : " without the expected text"), Optional.empty());
            }, (last, attempts) -> new CheckFailedException(describe() + ": expected " + expect
                    + (contains == null ? "" : " with '" + contains + "'") + "; "
                    + (attempts == 1 ? "its one attempt " : "the last of " + Plural.count(attempts, "attempt") + " ")
                    + last.failure()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailedException(describe() + ": interrupted");
        }
    }
}
