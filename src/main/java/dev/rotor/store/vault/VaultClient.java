package dev.rotor.store.vault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.rotor.http.Requests;
import dev.rotor.http.Retry;
import dev.rotor.http.Time;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;

/**
 * The one path every Vault request takes: {@code X-Vault-Request}, the namespace header and the token on every
 * request; 429, 412 (eventual consistency), 5xx (503: sealed or standby) and connection failures retried through
 * {@link Retry}: jittered exponential backoff, boundedly ({@code Retry-After} honoured up to a cap), each resend
 * announced and counted. Every request it retries is idempotent or guarded by check-and-set. Messages carry Vault
 * paths and statuses, never bodies that were sent.
 */
final class VaultClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Backoff of 250 ms, 500 ms, 1 s … ≤ 8 s; a 429 is a transient failure like a 503 (no separate rate-limit waits). */
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
    private final Retry retry;
    private Auth auth;

    /** @param storeName names the store in the progress line of each resend */
    VaultClient(HttpClient http, String address, String namespace, Time time, int maxAttempts, String storeName,
                Consumer<String> progress, ProviderContext.Resends resends) {
        this.http = http;
        this.address = address;
        this.namespace = namespace;
        this.time = time;
        this.retry = new Retry(storeName, new Retry.Policy(Math.max(1, maxAttempts), BASE_DELAY, MAX_DELAY, 0), time,
                progress, resends);
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
        try {
            return retry.send(method, "/v1/" + path, () -> {
                String token = authenticated ? auth.token(this) : null;
                HttpResponse<String> answer = http.send(request(method, address + "/v1/" + path, body, token),
                        HttpResponse.BodyHandlers.ofString());
                Response response = new Response(answer.statusCode(), parse(answer.body()));
                return transientStatus(response.status())
                        ? Retry.Outcome.failed("answered " + response.status() + describeErrors(response),
                                Retry.retryAfter(answer.headers().firstValue("retry-after"), time.now()))
                        : Retry.Outcome.answer(response);
            }, (last, times) -> new StoreException(StoreException.Kind.TRANSIENT, "Vault " + address + " " + last.failure()
                    + " to " + what + " " + times + " times",
                    "re-run later: Vault may be sealed, in maintenance or rate limiting (every Rotor write is idempotent)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted during Vault " + what);
        }
    }

    /** An unauthenticated GET of any URL (the GitHub OIDC token endpoint), with the same retries. */
    Response getExternal(String url, String authorization, String describe) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization).header("Accept", "application/json").GET().build();
        } catch (IllegalArgumentException e) {
            throw new StoreException(StoreException.Kind.INVALID, describe + " is not at an http(s) URL");
        }
        URI uri = request.uri();
        // host and path only: the authority may hold user information and the query an audience
        String where = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
        try {
            return retry.send("GET", where, () -> {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                return transientStatus(answer.statusCode())
                        ? Retry.Outcome.failed("answered " + answer.statusCode(),
                                Retry.retryAfter(answer.headers().firstValue("retry-after"), time.now()))
                        : Retry.Outcome.answer(new Response(answer.statusCode(), parse(answer.body())));
            }, (last, times) -> new StoreException(StoreException.Kind.TRANSIENT, describe + " " + last.failure() + " "
                    + times + " times", "re-run later"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted during " + describe);
        }
    }

    /** The backoff of the transient retries, for callers that wait between check-and-set rounds. */
    Duration backoff(int failures) {
        return retry.backoff(failures);
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
        return Requests.withJson(builder, method, body == null ? null : JSON.writeValueAsString(body)).build();
    }

    static boolean transientStatus(int status) {
        return status == 429 || status == 412 || status == 500 || status == 502 || status == 503 || status == 504;
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
