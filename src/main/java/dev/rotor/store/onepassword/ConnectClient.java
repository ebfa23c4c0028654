package dev.rotor.store.onepassword;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.rotor.http.Requests;
import dev.rotor.http.Retry;
import dev.rotor.http.Time;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;

/**
 * The one path every Connect request takes: {@code Authorization: Bearer} on every request; 429 and 5xx (Connect
 * answers 5xx while it cannot reach 1Password.com or is not yet synced) and lost connections retried through
 * {@link Retry}, boundedly, each resend announced and counted. A request that is not idempotent (creating an item,
 * adding a field) is given a check that runs before each resend, so that a write whose answer was lost is not
 * made twice. Messages carry paths and statuses, never a body that was sent or the token.
 */
final class ConnectClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** 4 attempts in all, backoff 0.5 s, 1 s, 2 s … ≤ 8 s, a {@code Retry-After} honoured up to the cap. */
    static final int DEFAULT_ATTEMPTS = 4;
    private static final Duration BASE_DELAY = Duration.ofMillis(500);
    private static final Duration MAX_DELAY = Duration.ofSeconds(8);

    /** An answer from Connect: its status and JSON body (an empty object when none). */
    record Response(int status, JsonNode json) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Connect's own error text ({@code {"status":403,"message":"..."}}), shortened, for messages. */
        String message() {
            String text = json.path("message").asText("").replaceAll("\\s+", " ").trim();
            return text.length() > 160 ? text.substring(0, 160) + "..." : text;
        }
    }

    private final HttpClient http;
    private final String host;
    private final String token;
    private final Time time;
    private final Retry retry;

    /** @param storeName names the store in the progress line of each resend */
    ConnectClient(HttpClient http, String host, String token, Time time, int maxAttempts, String storeName,
                  Consumer<String> progress, ProviderContext.Resends resends) {
        this.http = http;
        this.host = host;
        this.token = token;
        this.retry = new Retry(storeName, new Retry.Policy(Math.max(1, maxAttempts), BASE_DELAY, MAX_DELAY, 0), time,
                progress, resends);
        this.time = time;
    }

    String host() {
        return host;
    }

    /** An idempotent request to {@code path} (from {@code /v1/}); returns any status once it is not transient. */
    Response send(String method, String path, JsonNode body) {
        return send(method, path, body, Optional::empty);
    }

    /**
     * A request; before each resend {@code alreadyDone} is asked whether the earlier attempt took effect after
     * all (its answer is then returned instead of sending again).
     */
    Response send(String method, String path, JsonNode body, Supplier<Optional<Response>> alreadyDone) {
        String what = method + " " + path;
        int[] attempts = {0};
        try {
            return retry.send(method, path, () -> {
                if (attempts[0]++ > 0) {
                    Optional<Response> done = alreadyDone.get();
                    if (done.isPresent()) {
                        return Retry.Outcome.answer(done.get());
                    }
                }
                HttpResponse<String> answer = http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
                Response response = new Response(answer.statusCode(), parse(answer.body()));
                return transientStatus(response.status())
                        ? Retry.Outcome.failed("answered " + response.status(),
                                Retry.retryAfter(answer.headers().firstValue("retry-after"), time.now()))
                        : Retry.Outcome.answer(response);
            }, (last, times) -> new StoreException(StoreException.Kind.TRANSIENT, "1Password Connect " + host + " "
                    + last.failure() + " to " + Requests.withoutQuery(what) + " " + times + " times",
                    "re-run later: Connect may be unable to reach 1Password.com, still syncing, or rate limiting "
                            + "(GET " + host + "/health shows its state; every Rotor write is idempotent)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted during 1Password Connect " + what);
        }
    }

    private HttpRequest request(String method, String path, JsonNode body) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(host + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("User-Agent", "rotor");
        return Requests.withJson(builder, method, body == null ? null : JSON.writeValueAsString(body)).build();
    }

    static boolean transientStatus(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JsonNodeFactory.instance.objectNode() : node;
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
