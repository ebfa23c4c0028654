package dev.rotor.store.onepassword;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;

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
 * One field of a 1Password item per address, over the Connect REST API. The vault and each item are found by id or
 * by name/title once per run and their ids kept. A field that exists is changed by a JSON Patch of that field's
 * value alone, and a new field is added by a patch of {@code /fields}: Connect applies both to the item it holds,
 * so every other field and section stays as it is, even one another client changed a moment before. Only a field
 * in a section the item lacks needs the whole item written back (PUT), with every field it read. A missing item is
 * created ({@code category}, default PASSWORD). A delete is a patch removing that one field.
 *
 * <p>Not a journal: Connect has no conditional write. An item's {@code version} is returned on reads and writes but
 * a PUT or PATCH is never refused for naming an older one, and the API has no {@code If-Match} (docs/onepassword.md).
 */
final class OnePasswordStore implements Store {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.VERSIONED, Capability.UPDATED_AT,
            Capability.DELETE);
    /** Connect's vault and item ids: 26 lowercase letters and digits. */
    private static final Pattern ID = Pattern.compile("[a-z0-9]{26}");
    private static final Set<String> GONE = Set.of("ARCHIVED", "DELETED");
    /** For {@link #save}: an idempotent request, resent as it is. */
    private static final Predicate<JsonNode> RESEND = item -> false;

    private final String storeName;
    private final OnePasswordSettings settings;
    private final ConnectClient client;
    private final Map<String, String> itemIds = new ConcurrentHashMap<>();
    private volatile String vaultId;

    OnePasswordStore(String storeName, OnePasswordSettings settings, ConnectClient client) {
        this.storeName = storeName;
        this.settings = settings;
        this.client = client;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** Finds the vault and every item (reads only); an item that is missing will be created by the first write. */
    @Override
    public void preflight(List<Address> addresses) {
        Set<String> items = new LinkedHashSet<>();
        for (Address address : addresses) {
            items.add(ItemTarget.of(storeName, address).item());
        }
        vaultId();
        items.forEach(this::fetch);
    }

    @Override
    public Optional<Stored> read(Address address) {
        ItemTarget target = ItemTarget.of(storeName, address);
        return fetch(target.item()).flatMap(item -> field(item, target)
                .filter(field -> field.hasNonNull("value"))
                .map(field -> new Stored(field.get("value").asText(), version(item), updatedAt(item))));
    }

    @Override
    public Written write(Address address, String value) {
        ItemTarget target = ItemTarget.of(storeName, address);
        Optional<JsonNode> found = fetch(target.item());
        if (found.isEmpty()) {
            return new Written(version(create(target, value)), true);
        }
        JsonNode item = found.get();
        String itemId = item.path("id").asText();
        Optional<JsonNode> field = field(item, target);
        if (field.isPresent()) {
            if (value.equals(field.get().path("value").asText(null))) {
                return new Written(version(item), false);
            }
            // RFC 6902 add on an existing member replaces it (the form Connect's spec shows for a field attribute)
            ArrayNode patch = ConnectClient.JSON.createArrayNode();
            patch.addObject().put("op", "add").put("path", "/fields/" + field.get().path("id").asText() + "/value")
                    .put("value", value);
            return new Written(version(save("PATCH", itemId, patch, target, "write", value, RESEND)), true);
        }
        Optional<String> sectionId = target.section() == null ? Optional.empty() : sectionId(item, target.section());
        if (target.section() == null || sectionId.isPresent()) {
            ArrayNode patch = ConnectClient.JSON.createArrayNode();
            patch.addObject().put("op", "add").put("path", "/fields")
                    .set("value", newField(target, value, sectionId.orElse(null), false));
            return new Written(version(save("PATCH", itemId, patch, target, "write", value,
                    now -> field(now, target).filter(f -> value.equals(f.path("value").asText(null))).isPresent())),
                    true);
        }
        ObjectNode whole = item.deepCopy();
        String newSection = newId();
        arrayOf(whole, "sections").addObject().put("id", newSection).put("label", target.section());
        arrayOf(whole, "fields").add(newField(target, value, newSection, false));
        return new Written(version(save("PUT", itemId, whole, target, "write", value, RESEND)), true);
    }

    /**
     * A JSON Patch {@code remove} of the one field: Connect applies it to the item it holds, so every other field and
     * section stays (a section left empty too). A missing item or field is already gone.
     */
    @Override
    public void delete(Address address) {
        ItemTarget target = ItemTarget.of(storeName, address);
        Optional<JsonNode> item = fetch(target.item());
        Optional<JsonNode> field = item.flatMap(found -> field(found, target));
        if (field.isEmpty()) {
            return;
        }
        ArrayNode patch = ConnectClient.JSON.createArrayNode();
        patch.addObject().put("op", "remove").put("path", "/fields/" + field.get().path("id").asText());
        save("PATCH", item.get().path("id").asText(), patch, target, "delete", null,
                now -> field(now, target).isEmpty());
    }

    /**
     * PATCH or PUT of one item. A patch that adds or removes a field is not idempotent: before a resend the item is
     * read, and when {@code landed} says the earlier attempt took effect after all, it is not sent again.
     */
    private JsonNode save(String method, String itemId, JsonNode body, ItemTarget target, String operation, String value,
                          Predicate<JsonNode> landed) {
        String path = itemsPath() + "/" + itemId;
        ConnectClient.Response response = client.send(method, path, body, () -> {
            if (landed == RESEND) {
                return Optional.empty();
            }
            ConnectClient.Response now = client.send("GET", path, null);
            return now.ok() && landed.test(now.json()) ? Optional.of(now) : Optional.empty();
        });
        if (!response.ok()) {
            throw failure(response, operation, inVault(target.describe()), value);
        }
        return response.json();
    }

    /** POST of a new item holding the one field; a resend first looks the title up, so a lost answer adds no twin. */
    private JsonNode create(ItemTarget target, String value) {
        if (ID.matcher(target.item()).matches()) {
            throw new StoreException(StoreException.Kind.NOT_FOUND, prefix() + "no item with id " + target.item()
                    + " in vault '" + settings.vault() + "'", "Rotor creates a missing item by its title only: give "
                    + "item: the title of the item to create, or the id of an item that exists");
        }
        ObjectNode body = ConnectClient.JSON.createObjectNode();
        body.putObject("vault").put("id", vaultId());
        body.put("title", target.item());
        body.put("category", target.category());
        String sectionId = null;
        if (target.section() != null) {
            sectionId = newId();
            body.putArray("sections").addObject().put("id", sectionId).put("label", target.section());
        }
        body.putArray("fields").add(newField(target, value, sectionId, true));
        ConnectClient.Response response = client.send("POST", itemsPath(), body,
                () -> titled(target.item()).map(id -> client.send("GET", itemsPath() + "/" + id, null))
                        .filter(ConnectClient.Response::ok));
        if (!response.ok()) {
            throw failure(response, "create", inVault("item '" + target.item() + "'"), value);
        }
        itemIds.put(target.item(), response.json().path("id").asText());
        return response.json();
    }

    /**
     * A new concealed field. In a new Login or Password item, a field labelled {@code password} outside any section
     * is the item's own password (purpose PASSWORD), so 1Password shows it as the item's password.
     */
    private static ObjectNode newField(ItemTarget target, String value, String sectionId, boolean newItem) {
        ObjectNode field = ConnectClient.JSON.createObjectNode();
        field.put("type", "CONCEALED");
        if (newItem && sectionId == null && "password".equalsIgnoreCase(target.label())
                && (target.category().equals("PASSWORD") || target.category().equals("LOGIN"))) {
            field.put("purpose", "PASSWORD");
        }
        field.put("label", target.label());
        field.put("value", value);
        if (sectionId != null) {
            field.putObject("section").put("id", sectionId);
        }
        return field;
    }

    /** The field with the target's label (within its section when it names one); two such fields are ambiguous. */
    private Optional<JsonNode> field(JsonNode item, ItemTarget target) {
        Set<String> sections = new LinkedHashSet<>();
        if (target.section() != null) {
            for (JsonNode section : item.path("sections")) {
                if (target.section().equals(section.path("label").asText(null))
                        || target.section().equals(section.path("id").asText(null))) {
                    sections.add(section.path("id").asText());
                }
            }
        }
        List<JsonNode> matches = new ArrayList<>();
        for (JsonNode field : item.path("fields")) {
            if (target.label().equals(field.path("label").asText(null))
                    && (target.section() == null || sections.contains(field.path("section").path("id").asText(null)))) {
                matches.add(field);
            }
        }
        if (matches.size() > 1) {
            throw new StoreException(StoreException.Kind.INVALID, prefix() + "item '" + target.item() + "' has "
                    + matches.size() + " fields labelled '" + target.label() + "'" + (target.section() == null ? ""
                    : " in section '" + target.section() + "'"), target.section() == null
                    ? "add section: LABEL to the target to say which one" : "rename one of the fields in 1Password");
        }
        return matches.stream().findFirst();
    }

    private static Optional<String> sectionId(JsonNode item, String section) {
        for (JsonNode candidate : item.path("sections")) {
            if (section.equals(candidate.path("label").asText(null)) || section.equals(candidate.path("id").asText(null))) {
                return Optional.of(candidate.path("id").asText());
            }
        }
        return Optional.empty();
    }

    /** The full item named by title or id, if it exists; its id is kept for the rest of the run. */
    private Optional<JsonNode> fetch(String item) {
        String cached = itemIds.get(item);
        if (cached != null) {
            ConnectClient.Response response = client.send("GET", itemsPath() + "/" + cached, null);
            if (response.ok()) {
                return Optional.of(response.json());
            }
            if (response.status() != 404) {
                throw failure(response, "read", inVault("item '" + item + "'"), null);
            }
            itemIds.remove(item);
        }
        if (ID.matcher(item).matches()) {
            ConnectClient.Response response = client.send("GET", itemsPath() + "/" + item, null);
            if (response.ok()) {
                itemIds.put(item, item);
                return Optional.of(response.json());
            }
            if (response.status() != 404) {
                throw failure(response, "read", inVault("item " + item), null);
            }
        }
        Optional<String> id = titled(item);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        ConnectClient.Response response = client.send("GET", itemsPath() + "/" + id.get(), null);
        if (!response.ok()) {
            throw failure(response, "read", inVault("item '" + item + "'"), null);
        }
        itemIds.put(item, id.get());
        return Optional.of(response.json());
    }

    /** The id of the one live item with exactly this title (GET …/items?filter=title eq "…"). */
    private Optional<String> titled(String title) {
        List<JsonNode> matches = listed(itemsPath(), "title", title).stream()
                .filter(item -> !GONE.contains(item.path("state").asText(""))).toList();
        if (matches.size() > 1) {
            throw new StoreException(StoreException.Kind.INVALID, prefix() + matches.size() + " items are titled '"
                    + title + "' in vault '" + settings.vault() + "'", "name the item by its id (item: "
                    + matches.get(0).path("id").asText() + " or " + matches.get(1).path("id").asText()
                    + ") or give the items distinct titles");
        }
        return matches.stream().findFirst().map(item -> item.path("id").asText());
    }

    /** The vault's id, found once per run by id or by name. */
    private String vaultId() {
        String known = vaultId;
        if (known != null) {
            return known;
        }
        String vault = settings.vault();
        if (ID.matcher(vault).matches()) {
            ConnectClient.Response response = client.send("GET", "/v1/vaults/" + vault, null);
            if (response.ok()) {
                vaultId = vault;
                return vault;
            }
            if (response.status() != 404) {
                throw failure(response, "read", "vault " + vault, null);
            }
        }
        List<JsonNode> matches = listed("/v1/vaults", "name", vault);
        if (matches.size() > 1) {
            throw new StoreException(StoreException.Kind.INVALID, prefix() + matches.size() + " vaults are named '"
                    + vault + "'", "name the vault by its id (vault: " + matches.get(0).path("id").asText() + ")");
        }
        if (matches.isEmpty()) {
            List<String> visible = new ArrayList<>();
            listed("/v1/vaults", null, null).forEach(v -> visible.add("'" + v.path("name").asText() + "'"));
            throw new StoreException(StoreException.Kind.NOT_FOUND, prefix() + "no vault '" + vault + "' that this "
                    + "Connect token can see (it sees " + (visible.isEmpty() ? "no vault" : visible.size() > 10
                    ? visible.size() + " vaults" : String.join(", ", visible)) + ")",
                    "check vault (its name or id), or give the Connect token access to that vault");
        }
        vaultId = matches.get(0).path("id").asText();
        return vaultId;
    }

    /**
     * The entries of a collection whose {@code attribute} is exactly {@code value}, asked with Connect's SCIM filter.
     * Connect answers 400 to some filter values (a quote): then the whole collection is listed and matched here.
     */
    private List<JsonNode> listed(String path, String attribute, String value) {
        ConnectClient.Response response = null;
        if (attribute != null) {
            String filter = attribute + " eq \"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            response = client.send("GET", path + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                    .replace("+", "%20"), null);
        }
        if (response == null || response.status() == 400) {
            response = client.send("GET", path, null);
        }
        if (!response.ok()) {
            throw failure(response, "read", path.endsWith("/items") ? "the items of vault '" + settings.vault() + "'"
                    : "the vaults", null);
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode entry : response.json()) {
            if (attribute == null || value.equals(entry.path(attribute).asText(null))) {
                out.add(entry);
            }
        }
        return out;
    }

    private String itemsPath() {
        return "/v1/vaults/" + vaultId() + "/items";
    }

    private StoreException failure(ConnectClient.Response response, String operation, String what, String value) {
        String message = response.message();
        if (value != null && !value.isEmpty()) {
            message = message.replace(value, "***");
        }
        String answer = " (" + response.status() + (message.isEmpty() ? "" : ": " + message) + ")";
        return switch (response.status()) {
            case 401 -> new StoreException(StoreException.Kind.PERMISSION, prefix() + "1Password Connect "
                    + client.host() + " refused the store's token to " + operation + " " + what + answer,
                    "set the variable that token references to a Connect server token of this server that is not "
                            + "expired or revoked");
            case 403 -> new StoreException(StoreException.Kind.PERMISSION, prefix() + "the Connect token may not "
                    + operation + " " + what + answer,
                    "give the Connect token read and write access to vault '" + settings.vault() + "' (a Connect "
                            + "token is issued for named vaults), or point vault at one it may use");
            case 404 -> new StoreException(StoreException.Kind.NOT_FOUND, prefix() + what + " not found" + answer,
                    "check vault and item; an item deleted while Rotor ran is created again by the next run");
            case 400 -> new StoreException(StoreException.Kind.INVALID, prefix() + "Connect refused to " + operation
                    + " " + what + answer, "check the target's item, section and category");
            default -> new StoreException(StoreException.Kind.FAILED, prefix() + "Connect answered "
                    + response.status() + " to " + operation + " " + what + answer);
        };
    }

    private String inVault(String what) {
        return what + " in vault '" + settings.vault() + "'";
    }

    private String prefix() {
        return "store '" + storeName + "' (onepassword): ";
    }

    private static ArrayNode arrayOf(ObjectNode item, String name) {
        return item.path(name).isArray() ? (ArrayNode) item.get(name) : item.putArray(name);
    }

    /** An id as 1Password's own are made (26 lowercase letters and digits), for a new section. */
    static String newId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static String version(JsonNode item) {
        JsonNode version = item.path("version");
        return version.canConvertToLong() ? Long.toString(version.asLong()) : null;
    }

    private static Instant updatedAt(JsonNode item) {
        String text = item.path("updatedAt").asText(null);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
