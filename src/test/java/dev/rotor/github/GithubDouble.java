package dev.rotor.github;

import dev.rotor.http.Time;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small stateful GitHub secrets API on the JDK's HTTP server, for the store contract and the benchmark: a key
 * pair per scope, PUT opens the sealed box with the scope's private key (and checks its key id), GET of a secret
 * gives its {@code updated_at}, DELETE removes it (204; 404 when absent), GET of a repository gives its id, and an optional content-creation budget (sliding
 * windows in the double's {@link Time}) answers 403 with {@code retry-after} past it, as GitHub does.
 */
public final class GithubDouble implements AutoCloseable {
    private static final Pattern PUBLIC_KEY = Pattern.compile("(/(?:repos/[^/]+/[^/]+|orgs/[^/]+)/(?:[a-z]+|environments/[^/]+)/secrets)/public-key");
    private static final Pattern SECRET = Pattern.compile("(/(?:repos/[^/]+/[^/]+|orgs/[^/]+)/(?:[a-z]+|environments/[^/]+)/secrets)/([A-Za-z0-9_]+)");
    private static final Pattern REPOSITORY = Pattern.compile("/repos/([^/]+)/([^/]+)");
    private static final String SECONDARY = "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes "
            + "before you try again.\",\"documentation_url\":\"https://docs.github.com/free-pro-team@latest/rest/overview/"
            + "rate-limits-for-the-rest-api#about-secondary-rate-limits\",\"status\":\"403\"}";

    private record Scope(String keyId, byte[] publicKey, byte[] secretKey) {
    }

    private record Secret(String value, Instant createdAt, Instant updatedAt) {
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final Time time;
    private final int perMinute;
    private final int perHour;
    private final Map<String, Scope> scopes = new ConcurrentHashMap<>();
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final Deque<Instant> minute = new ArrayDeque<>();
    private final Deque<Instant> hour = new ArrayDeque<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong keyRequests = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong badBoxes = new AtomicLong();
    private volatile String refusedPrefix;
    private volatile int failureStatus;
    private final Map<String, AtomicInteger> failing = new ConcurrentHashMap<>();

    /** Without a budget. */
    public GithubDouble(Time time) throws IOException {
        this(time, 0, 0);
    }

    /** With GitHub's content-creation budget: at most {@code perMinute} PUTs in any minute and {@code perHour} in any hour. */
    public GithubDouble(Time time, int perMinute, int perHour) throws IOException {
        this.time = time;
        this.perMinute = perMinute;
        this.perHour = perHour;
        // answer without Nagle's delay (the JDK server's default waits for the client's delayed ACK: ~40 ms a request)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pool = Executors.newFixedThreadPool(8);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public long requests() {
        return requests.get();
    }

    public long keyRequests() {
        return keyRequests.get();
    }

    /** PUTs answered 201/204. */
    public long writes() {
        return writes.get();
    }

    public long refusals() {
        return refusals.get();
    }

    /** PUTs whose box did not open with the scope's key, or named another key id (must stay 0). */
    public long badBoxes() {
        return badBoxes.get();
    }

    /** Someone sets the secret by hand ({@code gh secret set}) at {@code at}: its value and update time change. */
    public void setByHand(String base, String name, Instant at) {
        secrets.compute(base + "/" + name, (key, old) -> new Secret("set-by-hand", old == null ? at : old.createdAt(), at));
    }

    /** The value held at {@code base/name} (e.g. {@code /repos/o/r/actions/secrets}, {@code S}). */
    public Optional<String> value(String base, String name) {
        return Optional.ofNullable(secrets.get(base + "/" + name)).map(Secret::value);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            Matcher m;
            if ("GET".equals(method) && (m = PUBLIC_KEY.matcher(path)).matches()) {
                keyRequests.incrementAndGet();
                Scope scope = scope(m.group(1));
                send(exchange, 200, "{\"key_id\":\"" + scope.keyId() + "\",\"key\":\""
                        + Base64.getEncoder().encodeToString(scope.publicKey()) + "\"}");
            } else if ((m = SECRET.matcher(path)).matches() && "PUT".equals(method)) {
                put(exchange, m.group(1), m.group(2));
            } else if ((m = SECRET.matcher(path)).matches() && "DELETE".equals(method)) {
                delete(exchange, m.group(1), path);
            } else if ((m = SECRET.matcher(path)).matches() && "GET".equals(method)) {
                Secret secret = secrets.get(path);
                if (secret == null) {
                    send(exchange, 404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"404\"}");
                } else {
                    send(exchange, 200, "{\"name\":\"" + m.group(2) + "\",\"created_at\":\"" + secret.createdAt()
                            + "\",\"updated_at\":\"" + secret.updatedAt() + "\"}");
                }
            } else if ((m = REPOSITORY.matcher(path)).matches() && "GET".equals(method)) {
                send(exchange, 200, "{\"id\":" + (Math.abs((long) path.hashCode()) % 100_000_000L) + ",\"full_name\":\""
                        + m.group(1) + "/" + m.group(2) + "\"}");
            } else {
                send(exchange, 404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"404\"}");
            }
        }
    }

    /** From now on, PUTs and DELETEs under {@code pathPrefix} are refused for good with 403 (null: none are). */
    public void refuseWritesUnder(String pathPrefix) {
        refusedPrefix = pathPrefix;
    }

    /** The next {@code count} PUTs to {@code path} (e.g. {@code /repos/o/r/actions/secrets/S}) are answered {@code status}. */
    public void failNextWrites(String path, int count, int status) {
        failing.put(path, new AtomicInteger(count));
        failureStatus = status;
    }

    private void put(HttpExchange exchange, String base, String name) throws IOException {
        AtomicInteger failures = failing.get(base + "/" + name);
        if (failures != null && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(exchange, failureStatus, "{\"message\":\"Server Error\"}");
            return;
        }
        if (refused(exchange, base)) {
            return;
        }
        Optional<Long> retryAfter = admit();
        if (retryAfter.isPresent()) {
            refusals.incrementAndGet();
            exchange.getResponseHeaders().add("retry-after", String.valueOf(retryAfter.get()));
            send(exchange, 403, SECONDARY);
            return;
        }
        JsonNode body = GithubApi.JSON.readTree(exchange.getRequestBody().readAllBytes());
        Scope scope = scopes.get(base);
        byte[] value = scope == null || !scope.keyId().equals(body.path("key_id").asText()) ? null
                : SealedBoxOpen.open(Base64.getDecoder().decode(body.path("encrypted_value").asText()), scope.publicKey(),
                scope.secretKey());
        if (value == null) {
            badBoxes.incrementAndGet();
            send(exchange, 422, "{\"message\":\"Bad request: the encrypted value does not match the key\",\"status\":\"422\"}");
            return;
        }
        Instant now = time.now();
        Secret before = secrets.get(base + "/" + name);
        secrets.put(base + "/" + name, new Secret(new String(value, StandardCharsets.UTF_8),
                before == null ? now : before.createdAt(), now));
        writes.incrementAndGet();
        send(exchange, before == null ? 201 : 204, null);
    }

    /** DELETE of a secret: 204 without a body, 404 (as for any unknown secret) when there is none. */
    private void delete(HttpExchange exchange, String base, String path) throws IOException {
        if (refused(exchange, base)) {
            return;
        }
        if (secrets.remove(path) == null) {
            send(exchange, 404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"404\"}");
        } else {
            send(exchange, 204, null);
        }
    }

    /** Answers 403 to a change under the refused prefix, as GitHub does to a token without the permission. */
    private boolean refused(HttpExchange exchange, String base) throws IOException {
        if (refusedPrefix == null || !base.startsWith(refusedPrefix)) {
            return false;
        }
        send(exchange, 403, "{\"message\":\"Resource not accessible by personal access token\","
                + "\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"403\"}");
        return true;
    }

    /** Empty when a content-creating request fits the budget (and records it), else the seconds to wait. */
    private synchronized Optional<Long> admit() {
        if (perMinute <= 0 && perHour <= 0) {
            return Optional.empty();
        }
        Instant now = time.now();
        long wait = Math.max(waitFor(minute, perMinute, Duration.ofMinutes(1), now), waitFor(hour, perHour, Duration.ofHours(1), now));
        if (wait > 0) {
            return Optional.of(wait);
        }
        minute.addLast(now);
        hour.addLast(now);
        return Optional.empty();
    }

    private static long waitFor(Deque<Instant> window, int max, Duration length, Instant now) {
        while (!window.isEmpty() && !window.peekFirst().plus(length).isAfter(now)) {
            window.removeFirst();
        }
        if (max <= 0 || window.size() < max) {
            return 0;
        }
        Instant free = window.stream().skip(window.size() - max).findFirst().orElseThrow().plus(length);
        return Math.max(1, (Duration.between(now, free).toMillis() + 999) / 1000);
    }

    private Scope scope(String base) {
        return scopes.computeIfAbsent(base, b -> {
            X25519PrivateKeyParameters secret = new X25519PrivateKeyParameters(random);
            return new Scope(String.valueOf(1_000_000_000_000_000L + (random.nextLong() & 0xffffffffffffL)),
                    secret.generatePublicKey().getEncoded(), secret.getEncoded());
        });
    }

    private void send(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().add("x-ratelimit-limit", "5000");
        exchange.getResponseHeaders().add("x-ratelimit-remaining", "4999");
        exchange.getResponseHeaders().add("x-ratelimit-reset", String.valueOf(time.now().getEpochSecond() + 3600));
        dev.rotor.testing.JsonResponses.send(exchange, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
