package dev.rotor.store.onepassword;

import static dev.rotor.store.onepassword.ConnectStores.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

class OnePasswordStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TITLE = "MindWell dev Postgres Admin";
    private static final String NEW_PASSWORD = "n3w-Pa55word/with+symbols=";

    private ConnectDouble connect;
    private String vaultId;
    private final ConnectStores stores = new ConnectStores();

    @BeforeEach
    void start() {
        connect = new ConnectDouble();
        vaultId = connect.vault("MindWell");
    }

    @AfterEach
    void stop() {
        connect.close();
    }

    private Store store() {
        return stores.open(connect, Map.of("vault", "MindWell"));
    }

    /** A Login item as 1Password holds it: built-in fields, a named section, the unnamed "add more" section, tags, urls. */
    private String seedLogin(String title) throws Exception {
        return connect.item(vaultId, ((ObjectNode) JSON.readTree("""
                {"category": "LOGIN", "tags": ["postgres", "dev"],
                 "urls": [{"primary": true, "href": "https://pgflex-mindwell-dev.postgres.database.azure.com"}],
                 "sections": [{"id": "add more"}, {"id": "lyfgyn6pq7ocbmnbf3tpfiotlu", "label": "Postgres"}],
                 "fields": [
                   {"id": "username", "type": "STRING", "purpose": "USERNAME", "label": "username", "value": "mindwelladmin"},
                   {"id": "password", "type": "CONCEALED", "purpose": "PASSWORD", "label": "password", "value": "old-password-1"},
                   {"id": "notesPlain", "type": "STRING", "purpose": "NOTES", "label": "notesPlain", "value": "rotated by Rotor"},
                   {"id": "vq6rmv3nfnqizfkdobmfuvd6eq", "section": {"id": "lyfgyn6pq7ocbmnbf3tpfiotlu"}, "type": "STRING",
                    "label": "host", "value": "pgflex-mindwell-dev"},
                   {"id": "hswcqjztlv7ps3gj3nfmquruya", "section": {"id": "lyfgyn6pq7ocbmnbf3tpfiotlu"}, "type": "STRING",
                    "label": "port", "value": "5432"},
                   {"id": "kcq3ajjnd4sbq7xn3dgksqdmqe", "section": {"id": "add more"}, "type": "CONCEALED",
                    "label": "legacy", "value": "kept-as-is"}]}
                """)).put("title", title));
    }

    private ObjectNode held(String title) {
        return connect.itemTitled(vaultId, title).orElseThrow();
    }

    private static List<JsonNode> fieldsBut(JsonNode item, String id) {
        List<JsonNode> out = new ArrayList<>();
        item.path("fields").forEach(f -> {
            if (!f.path("id").asText().equals(id)) {
                out.add(f);
            }
        });
        return out;
    }

    private void assertClean(String... values) {
        List<String> lines = new ArrayList<>(stores.progress);
        for (String line : lines) {
            assertFalse(line.contains(ConnectDouble.TOKEN), line);
            for (String value : values) {
                assertFalse(line.contains(value), line);
            }
        }
    }

    @Test
    void aMissingItemIsCreatedAsAPasswordItemWhosePasswordIsTheValue() throws Exception {
        Store store = store();
        Written written = store.write(field(TITLE, "password"), NEW_PASSWORD);
        assertTrue(written.changed());
        assertEquals("1", written.version());

        JsonNode post = JSON.readTree(connect.bodies("POST").get(0));
        assertEquals(vaultId, post.path("vault").path("id").asText());
        assertEquals(TITLE, post.path("title").asText());
        assertEquals("PASSWORD", post.path("category").asText());
        assertEquals(JSON.readTree("[{\"type\":\"CONCEALED\",\"purpose\":\"PASSWORD\",\"label\":\"password\",\"value\":\""
                + NEW_PASSWORD + "\"}]"), post.path("fields"));
        assertEquals(Optional.of(NEW_PASSWORD), connect.value(vaultId, TITLE, "password"));
        assertEquals("password", held(TITLE).path("fields").get(0).path("id").asText());

        int before = connect.requests().size();
        Written again = store.write(field(TITLE, "password"), NEW_PASSWORD);
        assertFalse(again.changed());
        assertEquals("1", again.version());
        assertEquals(List.of("GET /v1/vaults/" + vaultId + "/items/" + held(TITLE).path("id").asText()),
                connect.requests().subList(before, connect.requests().size()), "the id is kept; nothing is written");
        assertClean(NEW_PASSWORD);
    }

    @Test
    void aCreatedItemTakesTheTargetsCategoryAndSection() throws Exception {
        store().write(field("MindWell dev API", "database-url", "category", "database", "section", "Rotor"), "url-value");
        JsonNode post = JSON.readTree(connect.bodies("POST").get(0));
        assertEquals("DATABASE", post.path("category").asText());
        assertEquals("Rotor", post.path("sections").get(0).path("label").asText());
        String section = post.path("sections").get(0).path("id").asText();
        assertTrue(section.matches("[a-z0-9]{26}"), section);
        JsonNode field = post.path("fields").get(0);
        assertEquals(section, field.path("section").path("id").asText());
        assertEquals("CONCEALED", field.path("type").asText());
        assertFalse(field.has("purpose"), "only a password outside any section is the item's own password");
        assertEquals(Optional.of("url-value"), connect.value(vaultId, "MindWell dev API", "database-url"));
    }

    @Test
    void aWriteChangesOnlyItsFieldWithOnePatchAndKeepsEveryOtherFieldSectionTagAndUrl() throws Exception {
        seedLogin(TITLE);
        ObjectNode before = held(TITLE);
        Written written = store().write(field(TITLE, "password"), NEW_PASSWORD);
        ObjectNode after = held(TITLE);

        assertEquals("2", written.version());
        assertEquals(NEW_PASSWORD, connect.value(vaultId, TITLE, "password").orElseThrow());
        assertEquals(fieldsBut(before, "password"), fieldsBut(after, "password"));
        assertEquals(before.path("sections"), after.path("sections"));
        assertEquals(before.path("tags"), after.path("tags"));
        assertEquals(before.path("urls"), after.path("urls"));
        assertEquals("LOGIN", after.path("category").asText());
        assertEquals(0, connect.count("PUT"), "no whole-item write");
        assertEquals(List.of("[{\"op\":\"add\",\"path\":\"/fields/password/value\",\"value\":\"" + NEW_PASSWORD + "\"}]"),
                connect.bodies("PATCH"));
    }

    @Test
    void anotherClientsEditBetweenRotorsReadAndWriteSurvives() throws Exception {
        seedLogin(TITLE);
        connect.beforeNextWrite(() -> connect.edit(vaultId, TITLE, "username", "renamed-by-a-human"));
        store().write(field(TITLE, "password"), NEW_PASSWORD);
        assertEquals("renamed-by-a-human", connect.value(vaultId, TITLE, "username").orElseThrow());
        assertEquals(NEW_PASSWORD, connect.value(vaultId, TITLE, "password").orElseThrow());
    }

    @Test
    void sectionsAreFoundByLabelOrIdAndANewSectionKeepsEveryFieldOfTheItem() throws Exception {
        seedLogin(TITLE);
        Store store = store();
        store.write(field(TITLE, "host", "section", "Postgres"), "pgflex-mindwell-dev-2");
        assertEquals("pgflex-mindwell-dev-2", connect.value(vaultId, TITLE, "host").orElseThrow());
        assertEquals("5432", store.read(field(TITLE, "port", "section", "lyfgyn6pq7ocbmnbf3tpfiotlu")).orElseThrow().value());

        store.write(field(TITLE, "admin-password", "section", "Postgres"), "in-an-existing-section");
        JsonNode added = JSON.readTree(connect.bodies("PATCH").get(1)).get(0);
        assertEquals("/fields", added.path("path").asText());
        assertEquals("lyfgyn6pq7ocbmnbf3tpfiotlu", added.path("value").path("section").path("id").asText());
        assertEquals(0, connect.count("PUT"));

        ObjectNode before = held(TITLE);
        store.write(field(TITLE, "token", "section", "Rotor"), "in-a-new-section");
        ObjectNode after = held(TITLE);
        assertEquals(1, connect.count("PUT"));
        assertEquals(before.path("fields").size() + 1, after.path("fields").size());
        for (int i = 0; i < before.path("fields").size(); i++) {
            assertEquals(before.path("fields").get(i), after.path("fields").get(i));
        }
        JsonNode section = after.path("sections").get(2);
        assertEquals("Rotor", section.path("label").asText());
        assertEquals(section.path("id"), after.path("fields").get(before.path("fields").size()).path("section").path("id"));
        assertEquals("in-a-new-section", store.read(field(TITLE, "token", "section", "Rotor")).orElseThrow().value());
        assertEquals(before.path("sections"), JSON.valueToTree(List.of(after.path("sections").get(0), after.path("sections").get(1))));
    }

    @Test
    void aLabelInTwoPlacesNeedsTheSectionAndNeverWritesAGuess() throws Exception {
        seedLogin(TITLE);
        Store store = store();
        store.write(field(TITLE, "password", "section", "Postgres"), "the-section-one");
        int writes = connect.bodies("PATCH").size();
        StoreException e = assertThrows(StoreException.class, () -> store.write(field(TITLE, "password"), "x-value"));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertEquals("store 'op' (onepassword): item '" + TITLE + "' has 2 fields labelled 'password'", e.getMessage());
        assertEquals("add section: LABEL to the target to say which one", e.suggestion());
        assertEquals(writes, connect.bodies("PATCH").size());
        assertEquals("the-section-one", store.read(field(TITLE, "password", "section", "Postgres")).orElseThrow().value());
        assertEquals("old-password-1", held(TITLE).path("fields").get(1).path("value").asText());
    }

    @Test
    void theVaultAndItemAreLookedUpOnceARunByNameAndFilter() throws Exception {
        seedLogin(TITLE);
        Store store = store();
        store.read(field(TITLE, "password"));
        store.write(field(TITLE, "password"), "one-value-1");
        store.write(field(TITLE, "username"), "another-admin");
        store.read(field(TITLE, "host"));
        assertEquals(1, connect.count("GET /v1/vaults?filter=name eq \"MindWell\""), connect.requests().toString());
        assertEquals(1, connect.count("GET /v1/vaults/" + vaultId + "/items?filter=title eq \"" + TITLE + "\""));
        assertEquals(0, connect.count("GET /v1/vaults/" + vaultId + "/items?") - connect.count("GET /v1/vaults/"
                + vaultId + "/items?filter"));
    }

    @Test
    void theVaultAndItemMayBeNamedByTheirIds() throws Exception {
        String itemId = seedLogin(TITLE);
        Store store = stores.open(connect, Map.of("vault", vaultId));
        assertEquals("old-password-1", store.read(field(itemId, "password")).orElseThrow().value());
        store.write(field(itemId, "password"), "by-id-value");
        assertEquals("by-id-value", connect.value(vaultId, TITLE, "password").orElseThrow());
        assertEquals(0, connect.count("GET /v1/vaults?"), "no lookup by name");
        assertEquals(1, Collections.frequency(connect.requests(), "GET /v1/vaults/" + vaultId), connect.requests().toString());
        assertEquals(0, connect.count("GET /v1/vaults/" + vaultId + "/items?"));
    }

    @Test
    void aTitleConnectCannotFilterIsMatchedInTheWholeList() throws Exception {
        String title = "Bob's \"staging\" db";
        seedLogin(title);
        store().write(field(title, "password"), "quoted-title-value");
        assertEquals("quoted-title-value", connect.value(vaultId, title, "password").orElseThrow());
        assertEquals(1, connect.countTitled(vaultId, title));
    }

    @Test
    void twoItemsWithTheTitleAreRefusedNamingTheirIds() throws Exception {
        String one = seedLogin(TITLE);
        String two = seedLogin(TITLE);
        StoreException e = assertThrows(StoreException.class, () -> store().write(field(TITLE, "password"), "x-value"));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertEquals("store 'op' (onepassword): 2 items are titled '" + TITLE + "' in vault 'MindWell'", e.getMessage());
        assertTrue(e.suggestion().contains(one) && e.suggestion().contains(two), e.suggestion());
        assertEquals(0, connect.count("PATCH") + connect.count("PUT") + connect.count("POST"));
    }

    @Test
    void anUnknownVaultIsNamedWithTheVaultsTheTokenSees() {
        connect.vault("Shared");
        StoreException e = assertThrows(StoreException.class,
                () -> stores.open(connect, Map.of("vault", "MindWel")).preflight(List.of(field(TITLE, "password"))));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
        assertEquals("store 'op' (onepassword): no vault 'MindWel' that this Connect token can see (it sees 'MindWell', "
                + "'Shared')", e.getMessage());
    }

    @Test
    void anItemIdThatDoesNotExistIsNotCreated() {
        String id = "abcdefghijklmnopqrstuvwxyz";
        StoreException e = assertThrows(StoreException.class, () -> store().write(field(id, "password"), "x-value"));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
        assertEquals("store 'op' (onepassword): no item with id " + id + " in vault 'MindWell'", e.getMessage());
        assertEquals(0, connect.count("POST"));
    }

    @Test
    void preflightFindsTheVaultAndItemsAndWritesNothing() throws Exception {
        seedLogin(TITLE);
        store().preflight(List.of(field(TITLE, "password"), field("Not there yet", "password")));
        assertEquals(0, connect.count("PATCH") + connect.count("PUT") + connect.count("POST"));
        assertEquals(1, connect.count("GET /v1/vaults/" + vaultId + "/items?filter=title eq \"Not there yet\""));
    }

    @Test
    void aRefusedTokenIsNamedWithoutShowingIt() {
        StoreException e = assertThrows(StoreException.class, () -> stores.open(connect,
                Map.of("vault", "MindWell", "token", "not-a-connect-token-0002")).read(field(TITLE, "password")));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertEquals("store 'op' (onepassword): 1Password Connect " + connect.url() + " refused the store's token to "
                + "read the vaults (401: Invalid token signature)", e.getMessage());
        assertEquals("set the variable that token references to a Connect server token of this server that is not "
                + "expired or revoked", e.suggestion());
        assertFalse(e.getMessage().contains("not-a-connect-token-0002"));
    }

    @Test
    void aTokenWithoutWriteAccessIsRefusedNamingTheVaultAndTheAccessItNeeds() throws Exception {
        seedLogin(TITLE);
        connect.grant("read-only-token-0003", vaultId, "r");
        Store store = stores.open(connect, Map.of("vault", "MindWell", "token", "read-only-token-0003"));
        assertEquals("old-password-1", store.read(field(TITLE, "password")).orElseThrow().value());
        StoreException e = assertThrows(StoreException.class, () -> store.write(field(TITLE, "password"), NEW_PASSWORD));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertEquals("store 'op' (onepassword): the Connect token may not write field 'password' of item '" + TITLE
                + "' in vault 'MindWell' (403: vault " + vaultId + " is not in scope)", e.getMessage());
        assertEquals("give the Connect token read and write access to vault 'MindWell' (a Connect token is issued for "
                + "named vaults), or point vault at one it may use", e.suggestion());
        assertEquals("old-password-1", connect.value(vaultId, TITLE, "password").orElseThrow());

        connect.grant("other-vault-token-0004", connect.vault("Elsewhere"), "rw");
        StoreException outOfScope = assertThrows(StoreException.class, () -> stores.open(connect,
                Map.of("vault", vaultId, "token", "other-vault-token-0004")).read(field(TITLE, "password")));
        assertEquals(StoreException.Kind.PERMISSION, outOfScope.kind());
        assertEquals("store 'op' (onepassword): the Connect token may not read vault " + vaultId + " (403: vault "
                + vaultId + " is not in scope)", outOfScope.getMessage());
    }

    @Test
    void aRateLimitIsWaitedOutAsConnectAsksAnnouncedAndCounted() throws Exception {
        seedLogin(TITLE);
        Store store = store();
        store.read(field(TITLE, "password"));
        connect.failNext(1, 429, "3");
        store.write(field(TITLE, "password"), NEW_PASSWORD);
        assertEquals(NEW_PASSWORD, connect.value(vaultId, TITLE, "password").orElseThrow());
        String itemId = held(TITLE).path("id").asText();
        assertEquals(List.of("op: GET /v1/vaults/" + vaultId + "/items/" + itemId + " answered 429, retry 1/3 in 3.0 s"),
                stores.progress);
        assertEquals(1, stores.resends.count());
        assertEquals(List.of(Duration.ofSeconds(3)), stores.time.sleeps());
        assertClean(NEW_PASSWORD);
    }

    @Test
    void aConnectServerThatStaysUnavailableIsGivenUpAfterFourAttempts() {
        connect.failNext(10, 503, null);
        StoreException e = assertThrows(StoreException.class, () -> store().read(field(TITLE, "password")));
        assertEquals(StoreException.Kind.TRANSIENT, e.kind());
        assertEquals("1Password Connect " + connect.url() + " answered 503 to GET /v1/vaults 4 times", e.getMessage());
        assertTrue(e.suggestion().startsWith("re-run later"), e.suggestion());
        assertEquals(3, stores.resends.count());
        assertEquals(3, stores.progress.size());
        for (int i = 0; i < 3; i++) {
            String line = stores.progress.get(i);
            assertTrue(line.startsWith("op: GET /v1/vaults answered 503, retry " + (i + 1) + "/3 in "), line);
        }
        assertEquals(4, connect.requests().size());
    }

    @Test
    void aCreateWhoseAnswerWasLostIsNotMadeTwice() {
        connect.loseAnswerOfNext("POST");
        Written written = store().write(field(TITLE, "password"), NEW_PASSWORD);
        assertTrue(written.changed());
        assertEquals(1, connect.countTitled(vaultId, TITLE));
        assertEquals(1, connect.count("POST"));
        assertEquals(NEW_PASSWORD, connect.value(vaultId, TITLE, "password").orElseThrow());
        assertEquals(1, stores.resends.count());
    }

    @Test
    void aFieldWhoseAddWasAnsweredLostIsNotAddedTwice() throws Exception {
        seedLogin(TITLE);
        int fields = held(TITLE).path("fields").size();
        connect.loseAnswerOfNext("PATCH");
        store().write(field(TITLE, "database-url"), "postgresql://added-once");
        assertEquals(fields + 1, held(TITLE).path("fields").size());
        assertEquals(1, connect.count("PATCH"));
    }

    @Test
    void readAndStatusTellTheItemsVersionAndUpdateTime() throws Exception {
        seedLogin(TITLE);
        Store store = store();
        assertTrue(store.can(Capability.UPDATED_AT) && store.can(Capability.VERSIONED) && store.can(Capability.READABLE));
        assertFalse(store.can(Capability.COMPARE_AND_SET) || store.can(Capability.PENDING_SLOT),
                "Connect cannot refuse a stale write: not a journal");
        store.write(field(TITLE, "password"), NEW_PASSWORD);
        Instant updated = Instant.parse(held(TITLE).path("updatedAt").asText());
        Stored stored = store.read(field(TITLE, "password")).orElseThrow();
        assertEquals(NEW_PASSWORD, stored.value());
        assertEquals("2", stored.version());
        assertEquals(updated, stored.updatedAt());
        assertEquals(Optional.of(updated), store.updatedAt(field(TITLE, "password")));
        assertEquals(Optional.empty(), store.read(field(TITLE, "no-such-field")));
        assertEquals(Optional.empty(), store.read(field("No such item", "password")));
    }

    @Test
    void theHostComesFromOpConnectHostWhenTheManifestHasNoneAndIsRequiredOtherwise() {
        ProviderContext withHost = new ProviderContext(Map.of("OP_CONNECT_HOST", connect.url() + "/"), Path.of("."),
                Clock.systemUTC(), line -> { });
        Store store = new OnePasswordProvider().openStore("op", Map.of("token", ConnectDouble.TOKEN, "vault",
                "MindWell"), withHost);
        store.write(field(TITLE, "password"), NEW_PASSWORD);
        assertEquals(NEW_PASSWORD, connect.value(vaultId, TITLE, "password").orElseThrow());

        StoreException e = assertThrows(StoreException.class, () -> new OnePasswordProvider().openStore("op",
                Map.of("token", ConnectDouble.TOKEN, "vault", "MindWell"), new ProviderContext(Map.of(), Path.of("."),
                        Clock.systemUTC(), line -> { })));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertEquals("store 'op' (onepassword): set host (the Connect server's URL, e.g. http://op-connect:8080) or "
                + "the OP_CONNECT_HOST variable", e.getMessage());
    }

    @Test
    void aTargetWithoutItemIsRefusedBeforeAnyRequest() {
        Address noItem = new Address("password", Map.of());
        StoreException e = assertThrows(StoreException.class, () -> store().write(noItem, "x-value"));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().startsWith("store 'op' (onepassword): target password: a onepassword target needs "
                + "item"), e.getMessage());
        assertEquals(0, connect.requests().size());
    }

    @Test
    void aDeleteRemovesOnlyItsFieldWithOnePatchAndKeepsEveryOtherFieldSectionTagAndUrl() throws Exception {
        seedLogin(TITLE);
        ObjectNode before = held(TITLE);
        store().delete(field(TITLE, "legacy", "section", "add more"));
        ObjectNode after = held(TITLE);
        assertEquals(fieldsBut(before, "kcq3ajjnd4sbq7xn3dgksqdmqe"), fieldsBut(after, "no field has this id"));
        assertEquals(before.path("sections"), after.path("sections"));
        assertEquals(before.path("tags"), after.path("tags"));
        assertEquals(before.path("urls"), after.path("urls"));
        assertEquals(List.of("[{\"op\":\"remove\",\"path\":\"/fields/kcq3ajjnd4sbq7xn3dgksqdmqe\"}]"),
                connect.bodies("PATCH"));
        assertEquals(0, connect.count("PUT"), "no whole-item write");
    }

    @Test
    void deletingAFieldOrItemThatIsGoneWritesNothing() throws Exception {
        seedLogin(TITLE);
        Store store = store();
        store.delete(field(TITLE, "never-there"));
        store.delete(field("No such item", "password"));
        assertEquals(0, connect.count("PATCH") + connect.count("PUT") + connect.count("POST") + connect.count("DELETE"));
    }

    @Test
    void aFieldWhoseRemovalWasAnsweredLostIsNotRemovedAgain() throws Exception {
        seedLogin(TITLE);
        connect.loseAnswerOfNext("PATCH");
        store().delete(field(TITLE, "host", "section", "Postgres"));
        assertEquals(Optional.empty(), connect.value(vaultId, TITLE, "host"));
        assertEquals(Optional.of("5432"), connect.value(vaultId, TITLE, "port"));
        assertEquals(1, connect.count("PATCH"), "the resend saw the field gone and sent nothing");
        assertEquals(1, stores.resends.count());
    }

    @Test
    void aTokenWithoutWriteAccessCannotDeleteAndTheMessageSaysSo() throws Exception {
        seedLogin(TITLE);
        connect.grant("read-only-token-0003", vaultId, "r");
        Store store = stores.open(connect, Map.of("vault", "MindWell", "token", "read-only-token-0003"));
        StoreException e = assertThrows(StoreException.class, () -> store.delete(field(TITLE, "password")));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertEquals("store 'op' (onepassword): the Connect token may not delete field 'password' of item '" + TITLE
                + "' in vault 'MindWell' (403: vault " + vaultId + " is not in scope)", e.getMessage());
        assertEquals("old-password-1", connect.value(vaultId, TITLE, "password").orElseThrow());
    }
}
