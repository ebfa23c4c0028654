package dev.rotor.store.vault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.rotor.http.Time;
import dev.rotor.store.StoreException;

/**
 * The one path every Vault request takes: {@code X-Vault-Request}, the namespace header and the token on every
 * request; 429, 412 (eventual consistency), 5xx (503: sealed or standby) and connection failures retried with
 * jittered exponential backoff, boundedly ({@code Retry-After} honoured up to a cap). Every request it retries is
 * idempotent or guarded by check-and-set. Messages carry Vault paths and statuses, never bodies that were sent.
 */
final class VaultClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BASE_DELAY = Duration.ofMillis(250);
    private static final Duration MAX_DELAY = Duration.ofSeconds(8);

    /** An answer from Vault: its status, JSON body (an empty object when none) and {@code errors}. */
    record Response(int status, JsonNode json) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        List<String> errors() {
            List<String> out = new ArrayList<>();
            json.path("errors").forEach(e -> out.add(e.asText()));
            return out;
        }

        boolean errorContains(String text) {
            return errors().stream().anyMatch(e -> e.contains(text));
        }
    }

    /** Where the token comes from: a fixed one, or a login renewed before its lease ends. */
    interface Auth {
        String token(VaultClient client);

        /** Forget a cached token (after Vault refused it). */
        default void invalidate() {
        }
    }

    private final HttpClient http;
    private final String address;
    private final String namespace;
    private final Time time;
    private final int maxAttempts;
    private final Consumer<String> progress;
    private Auth auth;

    VaultClient(HttpClient http, String address, String namespace, Time time, int maxAttempts, Consumer<String> progress) {
        this.http = http;
        this.address = address;
        this.namespace = namespace;
        this.time = time;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.progress = progress == null ? s -> { } : progress;
    }

    void auth(Auth auth) {
        this.auth = auth;
    }

    String address() {
        return address;
    }

    Time time() {
        return time;
    }

    /** An authenticated request to {@code /v1/{path}}; returns any status once it is not transient. */
    Response send(String method, String path, JsonNode body) {
        return send(method, path, body, true);
    }

    Response send(String method, String path, JsonNode body, boolean authenticated) {
        String what = method + " " + path;
        int attempt = 0;
        try {
            while (true) {
                attempt++;
                String failure;
                Optional<Duration> retryAfter = Optional.empty();
                try {
                    String token = authenticated ? auth.token(this) : null;
                    HttpResponse<String> answer = http.send(request(method, address + "/v1/" + path, body, token),
                            HttpResponse.BodyHandlers.ofString());
                    Response response = new Response(answer.statusCode(), parse(answer.body()));
                    if (!transientStatus(response.status())) {
                        return response;
                    }
                    failure = "answered " + response.status() + describeErrors(response);
                    retryAfter = answer.headers().firstValue("retry-after").flatMap(VaultClient::seconds);
                } catch (IOException e) {
                    failure = e instanceof java.net.http.HttpTimeoutException ? "timed out" : "could not be reached";
                }
                if (attempt >= maxAttempts) {
                    throw new StoreException(StoreException.Kind.TRANSIENT, "Vault " + address + " " + failure + " to "
                            + what + " " + attempt + " times",
                            "re-run later: Vault may be sealed, in maintenance or rate limiting (every Rotor write is idempotent)");
                }
                Duration wait = retryAfter.filter(d -> d.compareTo(MAX_DELAY) <= 0).orElse(backoff(attempt));
                progress.accept("Vault " + failure + " to " + what + "; retrying in " + wait.toMillis() + " ms");
                time.sleep(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted during Vault " + what);
        }
    }

    /** An unauthenticated GET of any URL (the GitHub OIDC token endpoint), with the same retries. */
    Response getExternal(String url, String authorization, String describe) {
        int attempt = 0;
        try {
            while (true) {
                attempt++;
                String failure;
                try {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                            .header("Authorization", authorization).header("Accept", "application/json").GET().build();
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (!transientStatus(answer.statusCode())) {
                        return new Response(answer.statusCode(), parse(answer.body()));
                    }
                    failure = "answered " + answer.statusCode();
                } catch (IOException | IllegalArgumentException e) {
                    failure = "could not be reached";
                }
                if (attempt >= maxAttempts) {
                    throw new StoreException(StoreException.Kind.TRANSIENT, describe + " " + failure + " " + attempt + " times",
                            "re-run later");
                }
                time.sleep(backoff(attempt));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted during " + describe);
        }
    }

    private HttpRequest request(String method, String url, JsonNode body, String token) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("X-Vault-Request", "true")
                .header("Accept", "application/json")
                .header("User-Agent", "rotor");
        if (token != null) {
            builder.header("X-Vault-Token", token);
        }
        if (namespace != null) {
            builder.header("X-Vault-Namespace", namespace);
        }
        if (body != null) {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    static boolean transientStatus(int status) {
        return status == 429 || status == 412 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** Full jitter over an exponential ceiling: 250 ms, 500 ms, 1 s ... capped at 8 s. */
    static Duration backoff(int failures) {
        long ceiling = Math.min(MAX_DELAY.toMillis(), BASE_DELAY.toMillis() << Math.min(failures - 1, 10));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || !node.isObject() ? JsonNodeFactory.instance.objectNode() : node;
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    /** Vault's own error texts (about our request: "permission denied", "Vault is sealed"), shortened. */
    static String describeErrors(Response response) {
        List<String> errors = response.errors();
        if (errors.isEmpty()) {
            return "";
        }
        String text = String.join("; ", errors).replaceAll("\\s+", " ");
        return " (" + (text.length() > 160 ? text.substring(0, 160) + "..." : text) + ")";
    }
}
