package dev.rotor.verify;

import dev.rotor.manifest.Plural;
import dev.rotor.manifest.SecretValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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

    @Override
    public void run(SecretValue value) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        String seen = "";
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                Duration wait = interval.multipliedBy(1L << Math.min(attempt - 1, 5));
                progress.accept("  " + describe() + ": " + seen + "; retry " + attempt + "/" + retries + " in "
                        + wait.toMillis() + " ms");
                sleep(wait);
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                boolean statusOk = expect.contains(response.statusCode());
                boolean bodyOk = contains == null || response.body().contains(contains);
                if (statusOk && bodyOk) {
                    return;
                }
                seen = "status " + response.statusCode() + (bodyOk ? "" : ", body without the expected text");
            } catch (java.net.http.HttpTimeoutException e) {
                // a connect timeout too (a busy machine may not even connect in time): the same answer to a user
                seen = "no answer within " + timeout.toMillis() + " ms";
            } catch (IOException e) {
                seen = networkFailure(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CheckFailedException(describe() + ": interrupted");
            }
        }
        throw new CheckFailedException(describe() + ": expected " + expect + (contains == null ? "" : " with '"
                + contains + "'") + ", got " + seen + " after " + Plural.count(retries + 1, "attempt"));
    }

    /** What a user can act on: nothing listening or no route, a certificate problem, or another network error. */
    private static String networkFailure(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "no connection (refused or unreachable)";
        }
        return e instanceof javax.net.ssl.SSLException ? "a TLS failure (check the certificate and its chain)"
                : "a network error (" + e.getClass().getSimpleName() + ")";
    }

    private static void sleep(Duration base) {
        long millis = base.toMillis();
        try {
            Thread.sleep(millis + ThreadLocalRandom.current().nextLong(Math.max(1, millis / 4)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
