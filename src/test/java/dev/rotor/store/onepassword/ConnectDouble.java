package dev.rotor.store.onepassword;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A stateful 1Password Connect server on WireMock, shaped like Connect's OpenAPI spec (1Password/connect
 * docs/openapi/spec.yaml, v1.7.1) and its SDKs' recorded answers: vaults and item summaries as arrays, full items
 * with {@code fields[]} ({@code id}, {@code section.id}, {@code type}, {@code purpose}, {@code label},
 * {@code value}, {@code entropy}), {@code sections[]}, {@code version}, {@code createdAt}, {@code updatedAt},
 * {@code lastEditedBy}; errors as {@code {"status":N,"message":"..."}} with the spec's texts; SCIM {@code eq}
 * filters (400 for a value with a single quote, as Connect before and after 1.5.2 refuses it); JSON Patch of
 * {@code /fields} and {@code /fields/{id}/...}. Like Connect, a PUT or PATCH never looks at the {@code version} it
 * is sent. Tokens are scoped per vault (read and/or write). Switches fail the next requests, lose the answer of a
 * write that was applied, or run a hook before the next write (another client's edit).
 */
public final class ConnectDouble implements AutoCloseable {
    public static final String TOKEN = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImRvdWJsZSJ9.connect-double-token.0001";
    static final String ACTOR = "Z7DSMF4QKZC4PJWQYMDGTYD4JI";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ITEMS = Pattern.compile("/v1/vaults/([^/]+)/items(?:/([^/]+))?");
    private static final Pattern VAULT = Pattern.compile("/v1/vaults/([^/]+)");
    private static final Pattern FILTER = Pattern.compile("(\\w+) eq \"((?:[^\"\\\\]|\\\\.)*)\"");

    record Fault(int status, String retryAfter) {
    }

    private final WireMockServer server;
    private final Map<String, ObjectNode> vaults = new LinkedHashMap<>();
    private final Map<String, Map<String, ObjectNode>> items = new ConcurrentHashMap<>();
    /** token → vault id → "r", "w" or "rw". */
    private final Map<String, Map<String, String>> grants = new ConcurrentHashMap<>();
    private final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger lostAnswers = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong(Instant.parse("2026-03-02T09:15:00.123456789Z").getEpochSecond());
    private volatile String lostMethod;
    private volatile Runnable beforeNextWrite;

    public ConnectDouble() {
        server = new WireMockServer(options().dynamicPort().extensions(new Handler()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
    }

    public String url() {
        return server.baseUrl();
    }

    WireMockServer server() {
        return server;
    }

    /** A vault the default token may read and write; returns its id. */
    public String vault(String name) {
        String id = OnePasswordStore.newId();
        ObjectNode vault = JSON.createObjectNode().put("id", id).put("name", name).put("description", "")
                .put("attributeVersion", 1).put("contentVersion", 1).put("items", 0).put("type", "USER_CREATED")
                .put("createdAt", now()).put("updatedAt", now());
        synchronized (vaults) {
            vaults.put(id, vault);
        }
        items.put(id, new ConcurrentHashMap<>());
        grant(TOKEN, id, "rw");
        return id;
    }

    void grant(String token, String vaultId, String access) {
        grants.computeIfAbsent(token, t -> new ConcurrentHashMap<>()).put(vaultId, access);
    }

    /** Stores an item as 1Password would hold it (ids, version 1, times); returns its id. */
    public String item(String vaultId, ObjectNode item) {
        String id = OnePasswordStore.newId();
        ObjectNode stored = item.deepCopy();
        stored.put("id", id);
        stored.putObject("vault").put("id", vaultId);
        stored.put("version", 1).put("createdAt", now()).put("updatedAt", now()).put("lastEditedBy", ACTOR);
        stored.put("favorite", stored.path("favorite").asBoolean(false));
        assignIds(stored);
        items.get(vaultId).put(id, stored);
        return id;
    }

    /** The item as the double holds it now, by title. */
    Optional<ObjectNode> itemTitled(String vaultId, String title) {
        return items.get(vaultId).values().stream().filter(i -> title.equals(i.path("title").asText())).findFirst()
                .map(ObjectNode::deepCopy);
    }

    long countTitled(String vaultId, String title) {
        return items.get(vaultId).values().stream().filter(i -> title.equals(i.path("title").asText())).count();
    }

    /** The value of the field labelled {@code label} of the item titled {@code title}. */
    public Optional<String> value(String vaultId, String title, String label) {
        return itemTitled(vaultId, title).flatMap(item -> {
            for (JsonNode field : item.path("fields")) {
                if (label.equals(field.path("label").asText())) {
                    return Optional.ofNullable(field.path("value").asText(null));
                }
            }
            return Optional.empty();
        });
    }

    /** Changes a field's value as another 1Password client would (a new version of the item). */
    void edit(String vaultId, String title, String label, String value) {
        ObjectNode item = items.get(vaultId).values().stream().filter(i -> title.equals(i.path("title").asText()))
                .findFirst().orElseThrow();
        synchronized (item) {
            for (JsonNode field : item.path("fields")) {
                if (label.equals(field.path("label").asText())) {
                    ((ObjectNode) field).put("value", value);
                }
            }
            touch(item);
        }
    }

    /** Adds a concealed field outside any section, as a person would in the 1Password app. */
    void addField(String vaultId, String title, String label, String value) {
        ObjectNode item = items.get(vaultId).values().stream().filter(i -> title.equals(i.path("title").asText()))
                .findFirst().orElseThrow();
        synchronized (item) {
            item.withArray("fields").addObject().put("id", OnePasswordStore.newId()).put("type", "CONCEALED")
                    .put("label", label).put("value", value);
            touch(item);
        }
    }

    /** The next {@code count} requests answer {@code status} (with {@code Retry-After} when not null). */
    void failNext(int count, int status, String retryAfter) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(status, retryAfter));
        }
    }

    /** The next request with {@code method} is applied, then answered 502 as if a proxy lost Connect's answer. */
    void loseAnswerOfNext(String method) {
        lostMethod = method;
        lostAnswers.set(1);
    }

    void beforeNextWrite(Runnable hook) {
        beforeNextWrite = hook;
    }

    /** Every request as {@code METHOD path?query} (query decoded), in order. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    long count(String methodAndPathPrefix) {
        return requests().stream().filter(r -> r.startsWith(methodAndPathPrefix)).count();
    }

    /** The bodies of every request with this method (as sent). */
    List<String> bodies(String method) {
        return server.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName().equals(method))
                .map(e -> e.getRequest().getBodyAsString()).collect(ArrayList::new, (list, b) -> list.add(0, b),
                        ArrayList::addAll);
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Handler implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "connect-double";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String method = request.getMethod().getName();
            String url = request.getUrl();
            int q = url.indexOf('?');
            String path = q < 0 ? url : url.substring(0, q);
            String filter = q < 0 ? null : query(url.substring(q + 1)).get("filter");
            requests.add(method + " " + path + (filter == null ? "" : "?filter=" + filter));
            if (!faults.isEmpty()) {
                Fault fault = faults.remove(0);
                ResponseDefinition failed = error(fault.status(), fault.status() == 429 ? "Too many requests"
                        : "Failed to connect to 1Password.com");
                return fault.retryAfter() == null ? failed : aResponse()
                        .withStatus(failed.getStatus()).withBody(failed.getBody())
                        .withHeader("Content-Type", "application/json").withHeader("Retry-After", fault.retryAfter())
                        .build();
            }
            String auth = request.getHeader("Authorization");
            Map<String, String> scope = auth == null || !auth.startsWith("Bearer ") ? null : grants.get(auth.substring(7));
            if (scope == null) {
                return error(401, "Invalid token signature");
            }
            try {
                ResponseDefinition answer = route(method, path, filter, request.getBodyAsString(), scope);
                if (method.equals(lostMethod) && answer.getStatus() == 200 && lostAnswers.getAndDecrement() > 0) {
                    return error(502, "Bad Gateway");
                }
                return answer;
            } catch (IOException e) {
                return error(400, "Invalid request body");
            }
        }
    }

    private ResponseDefinition route(String method, String path, String filter, String body, Map<String, String> scope)
            throws IOException {
        if (path.equals("/v1/vaults") && method.equals("GET")) {
            ArrayNode out = JSON.createArrayNode();
            synchronized (vaults) {
                for (ObjectNode vault : vaults.values()) {
                    if (scope.containsKey(vault.path("id").asText())) {
                        out.add(vault);
                    }
                }
            }
            return filtered(out, filter);
        }
        Matcher itemsPath = ITEMS.matcher(path);
        if (itemsPath.matches()) {
            String vaultId = itemsPath.group(1);
            Map<String, ObjectNode> held = items.get(vaultId);
            if (held == null) {
                return error(404, "vault " + vaultId + " not found");
            }
            boolean write = !method.equals("GET");
            String access = scope.getOrDefault(vaultId, "");
            if (!access.contains(write ? "w" : "r")) {
                return error(403, "vault " + vaultId + " is not in scope");
            }
            String itemId = itemsPath.group(2);
            if (write) {
                Runnable hook = beforeNextWrite;
                beforeNextWrite = null;
                if (hook != null) {
                    hook.run();
                }
            }
            if (itemId == null) {
                return method.equals("GET") ? list(held, filter) : method.equals("POST") ? create(vaultId, body)
                        : error(405, "Method not allowed");
            }
            ObjectNode item = held.get(itemId);
            if (item == null) {
                return error(404, "item " + itemId + " not found");
            }
            synchronized (item) {
                return switch (method) {
                    case "GET" -> json(200, item);
                    case "PUT" -> replace(item, (ObjectNode) JSON.readTree(body));
                    case "PATCH" -> patch(item, (ArrayNode) JSON.readTree(body));
                    default -> error(405, "Method not allowed");
                };
            }
        }
        Matcher vaultPath = VAULT.matcher(path);
        if (vaultPath.matches() && method.equals("GET")) {
            ObjectNode vault;
            synchronized (vaults) {
                vault = vaults.get(vaultPath.group(1));
            }
            if (vault == null) {
                return error(404, "vault " + vaultPath.group(1) + " not found");
            }
            return scope.containsKey(vaultPath.group(1)) ? json(200, vault)
                    : error(403, "vault " + vaultPath.group(1) + " is not in scope");
        }
        return error(404, "Not found");
    }

    /** GET …/items: summaries (no fields, sections or files), as the spec's Item schema. */
    private ResponseDefinition list(Map<String, ObjectNode> held, String filter) {
        ArrayNode out = JSON.createArrayNode();
        for (ObjectNode item : held.values()) {
            ObjectNode summary = item.deepCopy();
            summary.remove(List.of("fields", "sections", "files"));
            out.add(summary);
        }
        return filtered(out, filter);
    }

    private ResponseDefinition filtered(ArrayNode all, String filter) {
        if (filter == null) {
            return json(200, all);
        }
        Matcher m = FILTER.matcher(filter);
        if (!m.matches() || filter.contains("'")) {
            return error(400, "Invalid filter");
        }
        String value = m.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
        ArrayNode out = JSON.createArrayNode();
        all.forEach(entry -> {
            if (value.equals(entry.path(m.group(1)).asText(null))) {
                out.add(entry);
            }
        });
        return json(200, out);
    }

    private ResponseDefinition create(String vaultId, String body) throws IOException {
        ObjectNode item = (ObjectNode) JSON.readTree(body);
        if (!vaultId.equals(item.path("vault").path("id").asText())) {
            return error(400, "Item vault id does not match the vault in the path");
        }
        String category = item.path("category").asText("");
        if (category.equals("CUSTOM") || category.equals("DOCUMENT") || category.isEmpty()) {
            return error(400, "Invalid item category");
        }
        String id = item(vaultId, item);
        return json(200, items.get(vaultId).get(id));
    }

    /** PUT: the body becomes the item; read-only attributes stay the server's; the body's version is not looked at. */
    private ResponseDefinition replace(ObjectNode item, ObjectNode body) {
        if (!item.path("id").asText().equals(body.path("id").asText(item.path("id").asText()))) {
            return error(400, "Item id does not match the item in the path");
        }
        ObjectNode kept = item.deepCopy();
        item.removeAll();
        item.setAll(body);
        for (String attribute : List.of("id", "vault", "createdAt", "version")) {
            item.set(attribute, kept.get(attribute));
        }
        assignIds(item);
        touch(item);
        return json(200, item);
    }

    /** PATCH: RFC 6902 add, replace and remove on {@code /fields}, {@code /fields/{id}} and {@code /fields/{id}/attr}. */
    private ResponseDefinition patch(ObjectNode item, ArrayNode operations) {
        ObjectNode draft = item.deepCopy();
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            String[] parts = operation.path("path").asText().split("/");
            if (parts.length < 2 || !parts[1].equals("fields") || !List.of("add", "replace", "remove").contains(op)) {
                return error(400, "Invalid patch operation");
            }
            ArrayNode fields = draft.withArray("fields");
            if (parts.length == 2) {
                if (!op.equals("add")) {
                    return error(400, "Invalid patch operation");
                }
                fields.add(operation.get("value").deepCopy());
                continue;
            }
            ObjectNode field = null;
            Iterator<JsonNode> each = fields.elements();
            int index = 0;
            for (int i = 0; each.hasNext(); i++) {
                JsonNode candidate = each.next();
                if (candidate.path("id").asText().equals(parts[2])) {
                    field = (ObjectNode) candidate;
                    index = i;
                }
            }
            if (field == null) {
                return error(400, "The item doesn't have a " + parts[2] + " field.");
            }
            if (parts.length == 3) {
                if (op.equals("remove")) {
                    fields.remove(index);
                } else {
                    fields.set(index, operation.get("value").deepCopy());
                }
            } else if (op.equals("remove")) {
                field.remove(parts[3]);
            } else if (op.equals("replace") && !field.has(parts[3])) {
                return error(400, "The field has no " + parts[3]);
            } else {
                field.set(parts[3], operation.get("value").deepCopy());
            }
        }
        item.removeAll();
        item.setAll(draft);
        assignIds(item);
        touch(item);
        return json(200, item);
    }

    /** Fields without an id get one (1Password names the built-in password field "password"); entropy is derived. */
    private static void assignIds(ObjectNode item) {
        for (JsonNode node : item.withArray("fields")) {
            ObjectNode field = (ObjectNode) node;
            if (!field.hasNonNull("id") || field.path("id").asText().isEmpty()) {
                field.put("id", "PASSWORD".equals(field.path("purpose").asText()) ? "password" : OnePasswordStore.newId());
            }
            if (!field.has("type")) {
                field.put("type", "STRING");
            }
            if ("PASSWORD".equals(field.path("purpose").asText()) && field.hasNonNull("value")) {
                field.put("entropy", field.get("value").asText().length() * 5.95);
            }
        }
    }

    private void touch(ObjectNode item) {
        item.put("version", item.path("version").asLong() + 1).put("updatedAt", now()).put("lastEditedBy", ACTOR);
    }

    /** Connect's timestamps: RFC 3339 with nanoseconds, one second apart per change here. */
    private String now() {
        return Instant.ofEpochSecond(clock.incrementAndGet(), 123456789).toString();
    }

    private static Map<String, String> query(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static ResponseDefinition json(int status, JsonNode body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("1Password-Connect-Version", "1.7.3").withBody(body.toString()).build();
    }

    private static ResponseDefinition error(int status, String message) {
        return json(status, JSON.createObjectNode().put("status", status).put("message", message));
    }
}
