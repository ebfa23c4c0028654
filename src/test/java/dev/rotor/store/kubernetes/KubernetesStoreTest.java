package dev.rotor.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Written;

/** Secret keys in fabric8's CRUD mock: neighbours kept, concurrent changes re-applied, the journal's compare-and-set. */
class KubernetesStoreTest {
    private static final String SECRETS = "/api/v1/namespaces/apps/secrets/";
    private KubeMock mock;
    private Store store;

    @BeforeEach
    void start() {
        mock = new KubeMock("apps");
        store = mock.open("apps", Map.of());
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private static Address key(String secret, String key) {
        return new Address(key, Map.of("secret", secret));
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private Secret secret(String name) {
        return mock.client().secrets().inNamespace("apps").withName(name).get();
    }

    private Map<String, String> decoded(String name) {
        Map<String, String> out = new TreeMap<>();
        secret(name).getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    private void create(String name, Map<String, String> plain) {
        Map<String, String> data = new TreeMap<>();
        plain.forEach((k, v) -> data.put(k, b64(v)));
        mock.client().secrets().inNamespace("apps").resource(new SecretBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("app", "backend")).withAnnotations(Map.of("owner", "team-a")).endMetadata()
                .withType("Opaque").withData(data).build()).create();
    }

    @Test
    void aWriteKeepsEveryOtherKeyLabelAndAnnotationAndRecordsWhenItWroteTheKey() throws Exception {
        create("backend-env", Map.of("DB_USER", "backend", "jwt-secret-v1", "old-key-material"));
        Written written = store.write(key("backend-env", "active-key"), "jwt-secret-v2");
        assertTrue(written.changed());
        assertEquals(Map.of("DB_USER", "backend", "jwt-secret-v1", "old-key-material", "active-key", "jwt-secret-v2"),
                decoded("backend-env"));
        Secret after = secret("backend-env");
        assertEquals(Map.of("app", "backend"), after.getMetadata().getLabels());
        assertEquals("team-a", after.getMetadata().getAnnotations().get("owner"));
        assertEquals("Opaque", after.getType());
        Map<?, ?> times = new ObjectMapper().readValue(after.getMetadata().getAnnotations().get("rotor.dev/updated-at"),
                Map.class);
        assertEquals(List.of("active-key"), List.copyOf(times.keySet()), "only the key Rotor wrote has a time");
        assertEquals(store.updatedAt(key("backend-env", "active-key")).orElseThrow().toString(), times.get("active-key"));
        assertEquals(written.version(), after.getMetadata().getResourceVersion());

        assertFalse(store.write(key("backend-env", "active-key"), "jwt-secret-v2").changed(), "equal bytes: no write");
        assertEquals(1, mock.count("PUT " + SECRETS + "backend-env"));
    }

    @Test
    void aChangeByAnotherWriterBetweenReadAndUpdateIsReadAgainAndBothChangesLand() {
        create("jwt-keys", Map.of("jwt-secret-v1", "first-key"));
        mock.beforeNext("PUT", SECRETS + "jwt-keys", "{\"data\":{\"added-by-kubectl\":\"" + b64("edited by hand") + "\"}}");
        store.write(key("jwt-keys", "active-key"), "jwt-secret-v2");
        assertEquals(2, mock.count("PUT " + SECRETS + "jwt-keys"), "the stale PUT was refused (409) and sent again");
        assertEquals(2, mock.count("GET " + SECRETS + "jwt-keys"), "read again before the second PUT");
        assertEquals(Map.of("jwt-secret-v1", "first-key", "added-by-kubectl", "edited by hand", "active-key",
                "jwt-secret-v2"), decoded("jwt-keys"));
        assertTrue(mock.progress().stream().anyMatch(l -> l.contains("409")), mock.progress().toString());
    }

    @Test
    void aMissingSecretIsCreatedOpaqueWithTheOneKey() {
        assertTrue(store.read(key("fresh", "api-token")).isEmpty());
        store.write(key("fresh", "api-token"), "value-one");
        Secret created = secret("fresh");
        assertEquals("Opaque", created.getType());
        assertEquals(Map.of("api-token", "value-one"), decoded("fresh"));
        assertEquals(Optional.of("value-one"), store.read(key("fresh", "api-token")).map(s -> s.value()));
    }

    @Test
    void aDeleteRemovesOneKeyAndItsTimeAndKeepsTheRest() {
        create("jwt-keys", Map.of("jwt-secret-v1", "first-key", "active-key", "jwt-secret-v2"));
        store.write(key("jwt-keys", "jwt-secret-v2"), "second-key");
        store.delete(key("jwt-keys", "jwt-secret-v1"));
        assertEquals(Map.of("active-key", "jwt-secret-v2", "jwt-secret-v2", "second-key"), decoded("jwt-keys"));
        store.delete(key("jwt-keys", "jwt-secret-v2"));
        assertEquals(Map.of("active-key", "jwt-secret-v2"), decoded("jwt-keys"));
        assertFalse(secret("jwt-keys").getMetadata().getAnnotations().containsKey("rotor.dev/updated-at"));
        assertEquals("team-a", secret("jwt-keys").getMetadata().getAnnotations().get("owner"));
    }

    @Test
    void twoRunsRacingOnOneJournalEntryOneWinsAndTheOtherIsRefused() throws Exception {
        Store other = mock.open("apps", Map.of());
        Address journal = store.journalAddress("jwt-keys.prod");
        assertEquals(journal, other.journalAddress("jwt-keys.prod"));
        store.writeIfVersion(journal, "{\"revision\":1}", null);
        String version = store.read(journal).orElseThrow().version();
        assertEquals(version, other.read(journal).orElseThrow().version());

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<String> winners = Collections.synchronizedList(new ArrayList<>());
        List<StoreException.Kind> refusals = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> runs = new ArrayList<>();
        for (Map.Entry<String, Store> run : Map.of("{\"run\":\"a\"}", store, "{\"run\":\"b\"}", other).entrySet()) {
            runs.add(pool.submit(() -> {
                go.await();
                try {
                    run.getValue().writeIfVersion(journal, run.getKey(), version);
                    winners.add(run.getKey());
                } catch (StoreException e) {
                    refusals.add(e.kind());
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> run : runs) {
            run.get(20, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(1, winners.size(), "exactly one run takes the journal: " + winners);
        assertEquals(List.of(StoreException.Kind.CONFLICT), refusals);
        assertEquals(winners.get(0), store.read(journal).orElseThrow().value());
    }

    @Test
    void eachUnitsJournalIsASecretOfItsOwnSoAnotherUnitsWriteNeverMakesItStale() {
        Address jwt = store.journalAddress("jwt-keys.prod");
        Address db = store.journalAddress("db-password.prod");
        assertEquals(new Address("journal", Map.of("secret", "rotor-journal.jwt-keys.prod")), jwt);
        assertEquals(new Address("journal", Map.of("secret", "rotor-journal.db-password.prod")), db);
        Address odd = store.journalAddress("API_Token.prod");
        String oddName = String.valueOf(odd.scope().get("secret"));
        assertTrue(oddName.matches("rotor-journal\\.api-token-prod-[0-9a-f]{8}"), oddName);
        assertNotEquals(oddName, store.journalAddress("api-token.prod").scope().get("secret"));

        Written first = store.writeIfVersion(jwt, "{\"jwt\":1}", null);
        store.writeIfVersion(db, "{\"db\":1}", null);
        store.writeIfVersion(jwt, "{\"jwt\":2}", first.version());
        assertEquals("{\"jwt\":2}", store.read(jwt).orElseThrow().value());
        assertEquals("true", secret("rotor-journal.jwt-keys.prod").getMetadata().getLabels().get("rotor.dev/journal"));
    }

    @Test
    void aRefusalNamesTheVerbTheResourceTheNamespaceAndTheRbacRuleToAdd() {
        mock.refuseNext("GET", SECRETS + "jwt-keys", 403, "Forbidden");
        StoreException refused = assertThrows(StoreException.class, () -> store.read(key("jwt-keys", "active-key")));
        assertEquals(StoreException.Kind.PERMISSION, refused.kind());
        assertEquals("store 'k8s' (kubernetes): forbidden to get secrets/jwt-keys in namespace apps (403): secrets: get "
                + "is not granted", refused.getMessage());
        assertEquals("add to a Role in namespace apps bound to the identity Rotor runs as: apiGroups: [\"\"], "
                + "resources: [\"secrets\"], verbs: [\"get\", \"create\", \"update\"] (see docs/kubernetes.md)",
                refused.suggestion());

        mock.refuseNext("GET", SECRETS + "jwt-keys", 401, "Unauthorized");
        StoreException unauthorized = assertThrows(StoreException.class, () -> store.read(key("jwt-keys", "active-key")));
        assertEquals("store 'k8s' (kubernetes): the API server refused the credentials (401 Unauthorized) to get "
                + "secrets/jwt-keys in namespace apps", unauthorized.getMessage());
        assertFalse(unauthorized.getMessage().contains(KubeMock.TOKEN));
    }

    @Test
    void aTransientFailureIsSentAgainAndAnnounced() {
        mock.refuseNext("GET", SECRETS + "jwt-keys", 503, "ServiceUnavailable");
        store.write(key("jwt-keys", "active-key"), "jwt-secret-v1");
        assertEquals(Map.of("active-key", "jwt-secret-v1"), decoded("jwt-keys"));
        assertTrue(mock.progress().stream().anyMatch(l -> l.contains("answered 503")), mock.progress().toString());
    }

    @Test
    void aMissingNamespaceIsNamedByPreflight() {
        Store elsewhere = mock.open("absent", Map.of());
        StoreException missing = assertThrows(StoreException.class,
                () -> elsewhere.preflight(List.of(key("jwt-keys", "active-key"))));
        assertEquals(StoreException.Kind.NOT_FOUND, missing.kind());
        assertEquals("store 'k8s' (kubernetes): namespace absent does not exist", missing.getMessage());
    }
}
