package dev.rotor.store.vault;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

/**
 * One field of a KV version 2 secret per address (the target's {@code path} and {@code name}). KV v2 replaces the
 * whole secret on write, so every write reads the secret, merges its one field and writes with check-and-set on the
 * version it read, re-reading on a mismatch (boundedly): a concurrent writer of another field is never lost. The
 * journal is field {@code journal} of its own secret at {@code {journal-path}/{unit}}; its version is the KV version.
 * A delete removes one field the same way.
 */
final class VaultStore implements Store {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.VERSIONED,
            Capability.PENDING_SLOT, Capability.COMPARE_AND_SET, Capability.UPDATED_AT, Capability.DELETE);
    static final String JOURNAL_FIELD = "journal";
    static final int MAX_CAS_ATTEMPTS = 8;
    private static final List<String> NEEDED = List.of("read", "create", "update");

    /** A KV secret as read: its fields (empty when absent), current version (0 when it never existed) and time. */
    private record Secret(ObjectNode data, long version, Instant createdTime) {
    }

    private final String storeName;
    private final VaultSettings settings;
    private final VaultClient client;
    private final VaultClient.Auth auth;
    private final Consumer<String> progress;
    private volatile boolean mountChecked;

    VaultStore(String storeName, VaultSettings settings, VaultClient client, VaultClient.Auth auth,
               Consumer<String> progress) {
        this.storeName = storeName;
        this.settings = settings;
        this.client = client;
        this.auth = auth;
        this.progress = progress == null ? s -> { } : progress;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Address journalAddress(String unit) {
        return new Address(JOURNAL_FIELD, Map.of("path", settings.journalPath() + "/" + unit));
    }

    @Override
    public void preflight(List<Address> addresses) {
        Set<String> paths = new LinkedHashSet<>();
        for (Address address : addresses) {
            fieldOf(address);
            paths.add(dataPath(pathOf(address)));
        }
        checkMount();
        if (paths.isEmpty()) {
            return;
        }
        ArrayNode list = VaultClient.JSON.createArrayNode();
        paths.forEach(list::add);
        VaultClient.Response response = call("POST", "sys/capabilities-self",
                VaultClient.JSON.createObjectNode().set("paths", list));
        if (!response.ok()) {
            if (response.status() == 403 && response.errorContains("permission denied")) {
                // a policy without sys/capabilities-self (the default policy grants it): check what a read can tell
                progress.accept(storeName + ": Vault does not answer sys/capabilities-self for this token; checking reads only");
                paths.forEach(p -> get(p.substring(settings.mount().length() + "/data/".length())));
                return;
            }
            throw failure(response, "sys/capabilities-self", "update", null);
        }
        List<String> problems = new ArrayList<>();
        for (String path : paths) {
            JsonNode caps = response.json().has(path) ? response.json().get(path) : response.json().path("data").path(path);
            if (caps.isMissingNode() && paths.size() == 1) {
                caps = response.json().path("capabilities");
            }
            Set<String> held = new LinkedHashSet<>();
            caps.forEach(c -> held.add(c.asText()));
            if (held.contains("root")) {
                continue;
            }
            List<String> missing = NEEDED.stream().filter(c -> held.contains("deny") || !held.contains(c)).toList();
            if (!missing.isEmpty()) {
                problems.add(path + " lacks " + String.join(", ", missing) + " (holds: "
                        + (held.isEmpty() ? "nothing" : String.join(", ", held)) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.PERMISSION, "store '" + storeName + "' (vault-kv): the Vault "
                    + "token's policy does not allow what Rotor needs: " + String.join("; ", problems),
                    "grant capabilities [\"create\", \"read\", \"update\"] on " + String.join(", ",
                            paths.stream().map(p -> "path \"" + p + "\"").toList()) + " (see docs/vault.md)");
        }
    }

    @Override
    public Optional<Stored> read(Address address) {
        String field = fieldOf(address);
        String path = pathOf(address);
        checkMount();
        Secret secret = get(path);
        JsonNode held = secret.data().get(field);
        if (held == null || held.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new Stored(text(held), Long.toString(secret.version()), secret.createdTime()));
    }

    @Override
    public Written write(Address address, String value) {
        return update(address, "written", value, (fields, field) -> {
            JsonNode held = fields.get(field);
            if (held != null && held.isTextual() && held.asText().equals(value)) {
                return false;
            }
            fields.put(field, value);
            return true;
        });
    }

    /**
     * Removes one field, the others kept, through the same check-and-set as a write. The last field going leaves the
     * secret with an empty data map (its metadata and version history stay; a key set soon writes its next version).
     */
    @Override
    public void delete(Address address) {
        update(address, "deleted", null, (fields, field) -> fields.remove(field) != null);
    }

    /**
     * Reads the secret, lets {@code change} edit a copy of its fields (it says whether it changed any) and writes the
     * copy with check-and-set on the version read, re-reading on a mismatch (boundedly).
     */
    private Written update(Address address, String verb, String value, BiPredicate<ObjectNode, String> change) {
        String field = fieldOf(address);
        String path = pathOf(address);
        checkMount();
        for (int attempt = 1; ; attempt++) {
            Secret current = get(path);
            ObjectNode fields = current.data().deepCopy();
            if (!change.test(fields, field)) {
                return new Written(Long.toString(current.version()), false);
            }
            Optional<Long> written = put(path, fields, current.version(), value);
            if (written.isPresent()) {
                return new Written(Long.toString(written.get()), true);
            }
            if (attempt >= MAX_CAS_ATTEMPTS) {
                throw new StoreException(StoreException.Kind.CONFLICT, "store '" + storeName + "' (vault-kv): "
                        + dataPath(path) + " changed under every one of " + attempt + " check-and-set writes",
                        "re-run when other writers of this secret are done");
            }
            progress.accept(storeName + ": " + dataPath(path) + " changed while field " + field
                    + " was " + verb + "; reading it again to keep the other fields");
            sleep(attempt);
        }
    }

    @Override
    public Written writeIfVersion(Address address, String value, String expectedVersion) {
        String field = fieldOf(address);
        String path = pathOf(address);
        checkMount();
        Secret current = get(path);
        JsonNode held = current.data().get(field);
        boolean present = held != null && !held.isNull();
        boolean matches = expectedVersion == null ? !present
                : present && expectedVersion.equals(Long.toString(current.version()));
        if (!matches) {
            throw conflict(path, field);
        }
        if (present && held.isTextual() && held.asText().equals(value)) {
            return new Written(Long.toString(current.version()), false);
        }
        return new Written(Long.toString(put(path, current.data().deepCopy().put(field, value), current.version(), value)
                .orElseThrow(() -> conflict(path, field))), true);
    }

    private StoreException conflict(String path, String field) {
        return new StoreException(StoreException.Kind.CONFLICT, "store '" + storeName + "' (vault-kv): field " + field
                + " of " + dataPath(path) + " changed since it was read (another run?)");
    }

    /** GET {mount}/data/{path}: 404 without errors is an absent secret (or a deleted latest version: its number counts). */
    private Secret get(String path) {
        VaultClient.Response response = call("GET", settings.mount() + "/data/" + VaultPaths.encode(path), null);
        JsonNode data = response.json().path("data");
        long version = data.path("metadata").path("version").asLong(0);
        if (response.status() == 404 && response.errors().isEmpty()) {
            return new Secret(VaultClient.JSON.createObjectNode(), version, null);
        }
        if (!response.ok()) {
            throw failure(response, dataPath(path), "read", null);
        }
        ObjectNode fields = data.path("data").isObject() ? (ObjectNode) data.get("data") : VaultClient.JSON.createObjectNode();
        return new Secret(fields, version, instant(data.path("metadata").path("created_time").asText(null)));
    }

    /** POST {mount}/data/{path} with cas; the new version, or empty when the check-and-set did not match. */
    private Optional<Long> put(String path, ObjectNode fields, long cas, String value) {
        ObjectNode body = VaultClient.JSON.createObjectNode();
        body.putObject("options").put("cas", cas);
        body.set("data", fields);
        VaultClient.Response response = call("POST", settings.mount() + "/data/" + VaultPaths.encode(path), body);
        if (response.status() == 400 && response.errorContains("check-and-set parameter did not match")) {
            return Optional.empty();
        }
        if (response.status() == 204) {
            throw kvVersion1("it answered a write without a version");
        }
        if (!response.ok()) {
            throw failure(response, dataPath(path), "create\", \"update", value);
        }
        JsonNode version = response.json().path("data").path("version");
        if (!version.canConvertToLong()) {
            throw new StoreException(StoreException.Kind.FAILED, "store '" + storeName + "' (vault-kv): Vault "
                    + "answered the write of " + dataPath(path) + " without a version");
        }
        return Optional.of(version.asLong());
    }

    /**
     * Once per store: the mount must be KV version 2 (a version 1 mount would take {@code data/...} as a key name).
     * Asks {@code sys/internal/ui/mounts/{mount}} as the vault CLI does; a token that may not see it is not refused.
     */
    private void checkMount() {
        if (mountChecked) {
            return;
        }
        VaultClient.Response response = call("GET", "sys/internal/ui/mounts/" + VaultPaths.encode(settings.mount()), null);
        if (response.ok()) {
            JsonNode data = response.json().path("data");
            String type = data.path("type").asText("");
            String version = data.path("options").path("version").asText("1");
            String actual = VaultSettings.trimSlashes(data.path("path").asText(settings.mount()));
            if (!actual.isEmpty() && !actual.equals(settings.mount())) {
                throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (vault-kv): '"
                        + settings.mount() + "' is not a mount: it lies in the mount '" + actual + "'",
                        "set mount: " + actual + " and put the rest in each target's path");
            }
            if (!type.isEmpty() && !type.equals("kv") && !type.equals("generic")) {
                throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (vault-kv): mount '"
                        + settings.mount() + "' is a '" + type + "' secrets engine, not KV version 2",
                        "point mount at a KV version 2 mount (vault secrets list)");
            }
            if (!"2".equals(version)) {
                throw kvVersion1("its options say version " + version);
            }
        } else if (response.status() == 404 || response.status() == 400) {
            throw new StoreException(StoreException.Kind.NOT_FOUND, "store '" + storeName + "' (vault-kv): no KV v2 "
                    + "mount '" + settings.mount() + "'?" + VaultClient.describeErrors(response),
                    "check mount (vault secrets list)" + (settings.namespace() == null ? " and namespace"
                            : " in namespace '" + settings.namespace() + "'"));
        } else if (response.status() != 403) {
            throw failure(response, "sys/internal/ui/mounts/" + settings.mount(), "read", null);
        }
        mountChecked = true;
    }

    private StoreException kvVersion1(String why) {
        return new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (vault-kv): mount '"
                + settings.mount() + "' is KV version 1 (" + why + "); Rotor needs version 2",
                "upgrade it with `vault kv enable-versioning " + settings.mount() + "` or point mount at a KV v2 mount");
    }

    /** A request; a GitHub OIDC token Vault refused (expired, revoked) is replaced once by a fresh login. */
    private VaultClient.Response call(String method, String path, JsonNode body) {
        VaultClient.Response response = client.send(method, path, body);
        if (response.status() == 403 && settings.githubOidc()) {
            auth.invalidate();
            response = client.send(method, path, body);
        }
        return response;
    }

    private StoreException failure(VaultClient.Response response, String path, String capability, String value) {
        String errors = VaultClient.describeErrors(response);
        if (value != null && !value.isEmpty()) {
            errors = errors.replace(value, "***");
        }
        String prefix = "store '" + storeName + "' (vault-kv): ";
        return switch (response.status()) {
            case 401, 403 -> new StoreException(StoreException.Kind.PERMISSION, prefix + "permission denied on " + path
                    + errors, "the token's policy needs capabilities [\"" + capability + "\"] on path \"" + path
                    + "\" (or the token is invalid or expired)");
            case 404 -> new StoreException(StoreException.Kind.NOT_FOUND, prefix + "Vault has no route to " + path
                    + errors + ": no KV v2 mount '" + settings.mount() + "'?",
                    "check mount (vault secrets list) and namespace");
            case 400 -> new StoreException(StoreException.Kind.INVALID, prefix + "Vault refused " + path + errors,
                    "check the mount is KV version 2 and the path is valid");
            default -> new StoreException(StoreException.Kind.FAILED, prefix + "Vault answered " + response.status()
                    + " on " + path + errors);
        };
    }

    private String pathOf(Address address) {
        Object path = address.scope().get("path");
        String text = path == null ? "" : VaultSettings.trimSlashes(String.valueOf(path).trim());
        if (!VaultPaths.valid(text)) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (vault-kv): target "
                    + address.name() + (path == null ? " has no path" : " has an invalid path '" + text + "'"),
                    "give the target `path:` (the KV secret path under mount '" + settings.mount() + "', e.g. app/prod)");
        }
        return text;
    }

    private String fieldOf(Address address) {
        if (address.name() == null || address.name().isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (vault-kv): a target needs "
                    + "a name (the field of the KV secret)");
        }
        return address.name();
    }

    private String dataPath(String path) {
        return settings.mount() + "/data/" + path;
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static Instant instant(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void sleep(int attempt) {
        try {
            client.time().sleep(client.backoff(attempt).dividedBy(4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted during a Vault write");
        }
    }
}
