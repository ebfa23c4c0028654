package dev.rotor.store.vault;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stateful Vault KV version 2 API on the JDK's HTTP server, shaped like Vault's answers: versions per secret with
 * {@code created_time}, check-and-set ({@code options.cas}), 404 {@code {"errors":[]}} for an absent secret and
 * "no handler for route" for an unknown mount, {@code sys/internal/ui/mounts}, {@code sys/capabilities-self} from a
 * per-path policy (which also refuses a write without create or update, as Vault does), JWT login, and a GitHub
 * Actions OIDC token endpoint at {@code /_github/token}. Switches answer 403 under a path, fail the next requests
 * with 503/429, run a hook before the next write, or make a mount KV v1.
 */
public final class VaultDouble implements AutoCloseable {
    public static final String ROOT_TOKEN = "hvs.double-root-token-0001";
    static final String OIDC_BEARER = "gh-request-bearer-0002";
    static final String OIDC_JWT = "eyJ.double-github-oidc-jwt.0003";
    static final String LOGIN_TOKEN = "hvs.double-login-token-0004";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ALL = List.of("create", "read", "update");

    record Version(ObjectNode data, Instant created) {
    }

    record Request(String method, String path, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
    private final Map<String, List<String>> policy = new ConcurrentHashMap<>();
    private final Set<String> mounts = ConcurrentHashMap.newKeySet();
    private final Set<String> kv1Mounts = ConcurrentHashMap.newKeySet();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus = 503;
    private volatile String refusedPrefix;
    private volatile Runnable beforeNextWrite;
    private volatile String namespace;
    private volatile long leaseSeconds = 3600;

    public VaultDouble() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        mounts.add("secret");
        tokens.add(ROOT_TOKEN);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String oidcRequestUrl() {
        return url() + "/_github/token?api-version=2.0";
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The field's value at {@code mount/path} in the latest version. */
    public Optional<String> field(String mountAndPath, String field) {
        List<Version> versions = secrets.get(mountAndPath);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        JsonNode value = versions.get(versions.size() - 1).data().get(field);
        return value == null ? Optional.empty() : Optional.of(value.asText());
    }

    /** The field names of the latest version at {@code mount/path}, in their order; empty if it never existed. */
    public List<String> fieldNames(String mountAndPath) {
        List<Version> versions = secrets.getOrDefault(mountAndPath, List.of());
        List<String> names = new ArrayList<>();
        if (!versions.isEmpty()) {
            versions.get(versions.size() - 1).data().fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    int versions(String mountAndPath) {
        return secrets.getOrDefault(mountAndPath, List.of()).size();
    }

    /** Writes a field directly, as another writer would (a new version). */
    public void put(String mountAndPath, String field, String value) {
        synchronized (secrets) {
            List<Version> versions = secrets.computeIfAbsent(mountAndPath, k -> new ArrayList<>());
            ObjectNode data = versions.isEmpty() ? JSON.createObjectNode() : versions.get(versions.size() - 1).data().deepCopy();
            data.put(field, value);
            versions.add(new Version(data, Instant.now()));
        }
    }

    /** Capabilities the token holds on {@code mount/data/path} (default: create, read, update everywhere). */
    void policy(String dataPath, String... capabilities) {
        policy.put(dataPath, List.of(capabilities));
    }

    void refuseUnder(String pathPrefix) {
        refusedPrefix = pathPrefix;
    }

    void failNext(int count, int status) {
        failureStatus = status;
        failures.set(count);
    }

    void beforeNextWrite(Runnable hook) {
        beforeNextWrite = hook;
    }

    /** Soft-deletes the latest version (as {@code vault kv delete}): reads answer 404 with its metadata. */
    void deleteLatest(String mountAndPath) {
        deleted.add(mountAndPath);
    }

    void kv1(String mount) {
        mounts.add(mount);
        kv1Mounts.add(mount);
    }

    void requireNamespace(String namespace) {
        this.namespace = namespace;
    }

    void leaseSeconds(long seconds) {
        leaseSeconds = seconds;
    }

    void revokeLogins() {
        tokens.removeIf(t -> t.startsWith(LOGIN_TOKEN));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(new Request(method, rawPath + (query == null ? "" : "?" + query), headers, body));
            if (rawPath.equals("/_github/token")) {
                if (!("bearer " + OIDC_BEARER).equals(headers.get("authorization"))) {
                    send(exchange, 401, "{\"message\":\"Bad credentials\"}");
                } else {
                    send(exchange, 200, "{\"count\":1,\"value\":\"" + OIDC_JWT + "\"}");
                }
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, failureStatus, failureStatus == 503 ? "{\"errors\":[\"Vault is sealed\"]}"
                        : "{\"errors\":[\"request path \\\"x\\\": rate limit quota exceeded\"]}");
                return;
            }
            if (!rawPath.startsWith("/v1/")) {
                send(exchange, 404, "{\"errors\":[]}");
                return;
            }
            if (namespace != null && !namespace.equals(headers.get("x-vault-namespace"))) {
                send(exchange, 403, "{\"errors\":[\"permission denied\"]}");
                return;
            }
            String path = URLDecoder.decode(rawPath.substring(4).replace("+", "%2B"), StandardCharsets.UTF_8);
            if (path.matches("auth/[^/]+/login") && "POST".equals(method)) {
                login(exchange, JSON.readTree(body));
                return;
            }
            if (!tokens.contains(headers.getOrDefault("x-vault-token", ""))) {
                send(exchange, 403, "{\"errors\":[\"permission denied\"]}");
                return;
            }
            if (path.startsWith("sys/internal/ui/mounts/")) {
                String mount = path.substring("sys/internal/ui/mounts/".length());
                String found = mounts.stream().filter(m -> mount.equals(m) || mount.startsWith(m + "/")).findFirst().orElse(null);
                if (found == null) {
                    send(exchange, 400, "{\"errors\":[\"No secret engine mount at " + mount + "/\"]}");
                } else {
                    send(exchange, 200, "{\"data\":{\"accessor\":\"kv_1\",\"type\":\"kv\",\"path\":\"" + found
                            + "/\",\"options\":" + (kv1Mounts.contains(found) ? "{\"version\":\"1\"}" : "{\"version\":\"2\"}")
                            + ",\"local\":false,\"seal_wrap\":false}}");
                }
                return;
            }
            if (path.equals("sys/capabilities-self") && "POST".equals(method)) {
                capabilities(exchange, JSON.readTree(body));
                return;
            }
            String mount = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
            String rest = path.substring(mount.length());
            if (!mounts.contains(mount) || kv1Mounts.contains(mount)) {
                if (kv1Mounts.contains(mount) && "POST".equals(method)) {
                    send(exchange, 204, "");
                } else if (kv1Mounts.contains(mount)) {
                    send(exchange, 404, "{\"errors\":[]}");
                } else {
                    send(exchange, 404, "{\"errors\":[\"no handler for route \\\"" + path + "\\\". route entry not found.\"]}");
                }
                return;
            }
            if (!rest.startsWith("/data/")) {
                send(exchange, 404, "{\"errors\":[]}");
                return;
            }
            String secret = mount + "/" + rest.substring("/data/".length());
            if (refusedPrefix != null && secret.startsWith(refusedPrefix)) {
                send(exchange, 403, "{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}");
                return;
            }
            if ("GET".equals(method)) {
                read(exchange, secret);
            } else if ("POST".equals(method) || "PUT".equals(method)) {
                List<String> held = policy.getOrDefault(mount + rest, ALL);
                if (!held.contains("create") && !held.contains("update")) {
                    send(exchange, 403, "{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}");
                    return;
                }
                Runnable hook = beforeNextWrite;
                if (hook != null) {
                    beforeNextWrite = null;
                    hook.run();
                }
                write(exchange, secret, JSON.readTree(body));
            } else {
                send(exchange, 405, "{\"errors\":[\"unsupported operation\"]}");
            }
        }
    }

    private void login(HttpExchange exchange, JsonNode body) throws IOException {
        if (!"rotor".equals(body.path("role").asText()) || !OIDC_JWT.equals(body.path("jwt").asText())) {
            send(exchange, 400, "{\"errors\":[\"error validating token: invalid audience (aud) claim\"]}");
            return;
        }
        String token = LOGIN_TOKEN + "." + tokens.size();
        tokens.add(token);
        send(exchange, 200, "{\"request_id\":\"r\",\"lease_id\":\"\",\"renewable\":false,\"lease_duration\":0,\"data\":null,"
                + "\"auth\":{\"client_token\":\"" + token + "\",\"accessor\":\"a\",\"policies\":[\"default\",\"rotor\"],"
                + "\"token_policies\":[\"default\",\"rotor\"],\"metadata\":{\"role\":\"rotor\"},\"lease_duration\":"
                + leaseSeconds + ",\"renewable\":true,\"entity_id\":\"e\",\"token_type\":\"service\",\"orphan\":true}}");
    }

    private void capabilities(HttpExchange exchange, JsonNode body) throws IOException {
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode data = answer.putObject("data");
        List<String> all = new ArrayList<>();
        for (JsonNode p : body.path("paths")) {
            String path = p.asText();
            List<String> caps = policy.getOrDefault(path, ALL);
            ArrayNode list = JSON.createArrayNode();
            caps.forEach(list::add);
            answer.set(path, list.deepCopy());
            data.set(path, list);
            all.addAll(caps);
        }
        if (body.path("paths").size() == 1) {
            ArrayNode list = answer.putArray("capabilities");
            all.forEach(list::add);
        }
        send(exchange, 200, JSON.writeValueAsString(answer));
    }

    private void read(HttpExchange exchange, String secret) throws IOException {
        List<Version> versions = secrets.get(secret);
        if (versions == null || versions.isEmpty()) {
            send(exchange, 404, "{\"errors\":[]}");
            return;
        }
        Version latest;
        int number;
        synchronized (secrets) {
            latest = versions.get(versions.size() - 1);
            number = versions.size();
        }
        ObjectNode answer = JSON.createObjectNode().put("request_id", "r").put("lease_id", "").put("renewable", false)
                .put("lease_duration", 0);
        ObjectNode data = answer.putObject("data");
        data.set("data", latest.data());
        data.set("metadata", metadata(latest, number));
        if (deleted.contains(secret)) {
            data.putNull("data");
            ((ObjectNode) data.get("metadata")).put("deletion_time", latest.created().toString());
            send(exchange, 404, JSON.writeValueAsString(answer));
            return;
        }
        send(exchange, 200, JSON.writeValueAsString(answer));
    }

    private void write(HttpExchange exchange, String secret, JsonNode body) throws IOException {
        if (!body.path("data").isObject()) {
            send(exchange, 400, "{\"errors\":[\"no data provided\"]}");
            return;
        }
        Version made;
        int number;
        synchronized (secrets) {
            List<Version> versions = secrets.computeIfAbsent(secret, k -> new ArrayList<>());
            JsonNode cas = body.path("options").path("cas");
            if (!cas.isMissingNode() && cas.asLong() != versions.size()) {
                send(exchange, 400, "{\"errors\":[\"check-and-set parameter did not match the current version\"]}");
                return;
            }
            made = new Version(((ObjectNode) body.get("data")).deepCopy(), Instant.now());
            deleted.remove(secret);
            versions.add(made);
            number = versions.size();
        }
        ObjectNode answer = JSON.createObjectNode().put("request_id", "r");
        answer.set("data", metadata(made, number));
        send(exchange, 200, JSON.writeValueAsString(answer));
    }

    private static ObjectNode metadata(Version version, int number) {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("created_time", version.created().toString());
        metadata.putNull("custom_metadata");
        metadata.put("deletion_time", "");
        metadata.put("destroyed", false);
        metadata.put("version", number);
        return metadata;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        dev.rotor.testing.JsonResponses.send(exchange, status, status == 204 ? null : body);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
