package dev.rotor.store.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

class VaultStoreTest {
    private static final String VALUE = "s3cr3t-Value-That-Must-Not-Leak";
    private static final Address NEXT = new Address("DB_PASS_NEXT", Map.of("path", "mutt/prod"));
    private static final Address CURRENT = new Address("DB_PASS_CURRENT", Map.of("path", "mutt/prod"));
    private VaultDouble vault;
    private VaultStores stores;

    @BeforeEach
    void start() throws IOException {
        vault = new VaultDouble();
        stores = new VaultStores();
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private static void assertClean(String text) {
        assertFalse(text.contains(VALUE), text);
        for (String secret : List.of(VaultDouble.ROOT_TOKEN, VaultDouble.OIDC_BEARER, VaultDouble.OIDC_JWT,
                VaultDouble.LOGIN_TOKEN)) {
            assertFalse(text.contains(secret), text);
        }
    }

    private static void assertClean(StoreException e) {
        assertClean(e.getMessage() + " " + e.suggestion());
        assertEquals(null, e.getCause());
    }

    @Test
    void aWriteKeepsEveryOtherFieldOfTheSecret() {
        vault.put("secret/mutt/prod", "DB_USER", "mutt");
        vault.put("secret/mutt/prod", "DB_PASS_CURRENT", "old-current");
        Written written = stores.open(vault).write(NEXT, VALUE);
        assertTrue(written.changed());
        assertEquals("3", written.version());
        assertEquals(Optional.of("mutt"), vault.field("secret/mutt/prod", "DB_USER"));
        assertEquals(Optional.of("old-current"), vault.field("secret/mutt/prod", "DB_PASS_CURRENT"));
        assertEquals(Optional.of(VALUE), vault.field("secret/mutt/prod", "DB_PASS_NEXT"));
        String body = vault.requests().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow().body();
        assertTrue(body.contains("\"options\":{\"cas\":2}"), "check-and-set on the version read");
    }

    @Test
    void anotherFieldWrittenBetweenOurReadAndWriteIsKeptByTheCheckAndSetRetry() {
        vault.put("secret/mutt/prod", "DB_PASS_CURRENT", "old-current");
        vault.beforeNextWrite(() -> vault.put("secret/mutt/prod", "REDIS_PASS_NEXT", "written-concurrently"));
        Written written = stores.open(vault).write(NEXT, VALUE);
        assertEquals("3", written.version());
        assertEquals(Optional.of("written-concurrently"), vault.field("secret/mutt/prod", "REDIS_PASS_NEXT"));
        assertEquals(Optional.of(VALUE), vault.field("secret/mutt/prod", "DB_PASS_NEXT"));
        assertEquals(Optional.of("old-current"), vault.field("secret/mutt/prod", "DB_PASS_CURRENT"));
        assertEquals(2, vault.requests().stream().filter(r -> r.method().equals("POST")).count());
    }

    @Test
    void checkAndSetRetriesAreBounded() {
        Store store = stores.open(vault);
        Runnable[] again = new Runnable[1];
        again[0] = () -> {
            vault.put("secret/mutt/prod", "OTHER", "x" + vault.versions("secret/mutt/prod"));
            vault.beforeNextWrite(again[0]);
        };
        vault.beforeNextWrite(again[0]);
        StoreException e = assertThrows(StoreException.class, () -> store.write(NEXT, VALUE));
        assertEquals(StoreException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("secret/data/mutt/prod"), e.getMessage());
        assertEquals(VaultStore.MAX_CAS_ATTEMPTS, vault.requests().stream().filter(r -> r.method().equals("POST")).count());
        assertClean(e);
    }

    @Test
    void anEqualValueIsNotWrittenAgain() {
        Store store = stores.open(vault);
        store.write(NEXT, VALUE);
        Written again = store.write(NEXT, VALUE);
        assertFalse(again.changed());
        assertEquals("1", again.version());
        assertEquals(1, vault.versions("secret/mutt/prod"));
    }

    @Test
    void readGivesTheFieldItsVersionAndTheVersionsCreatedTime() {
        Store store = stores.open(vault);
        assertEquals(Optional.empty(), store.read(NEXT));
        store.write(CURRENT, "current-1");
        assertEquals(Optional.empty(), store.read(NEXT), "another field is not this one");
        store.write(NEXT, VALUE);
        Stored stored = store.read(NEXT).orElseThrow();
        assertEquals(VALUE, stored.value());
        assertEquals("2", stored.version());
        assertNotNull(stored.updatedAt());
        assertClean(stored.toString());
    }

    @Test
    void theJournalIsItsOwnSecretAndCheckAndSetRefusesAStaleVersion() {
        Store store = stores.open(vault, Map.of("journal-path", "ops/rotor"), Map.of());
        Address journal = store.journalAddress("db-password.prod");
        store.writeIfVersion(journal, "{\"revision\":1}", null);
        assertEquals(Optional.of("{\"revision\":1}"), vault.field("secret/ops/rotor/db-password.prod", "journal"));
        String version = store.read(journal).orElseThrow().version();
        Written second = store.writeIfVersion(journal, "{\"revision\":2}", version);
        assertEquals("2", second.version());
        assertEquals(second.version(), store.read(journal).orElseThrow().version(), "read gives what writeIfVersion expects");
        StoreException stale = assertThrows(StoreException.class,
                () -> store.writeIfVersion(journal, "{\"revision\":3}", version));
        assertEquals(StoreException.Kind.CONFLICT, stale.kind());
        StoreException taken = assertThrows(StoreException.class,
                () -> store.writeIfVersion(journal, "{\"revision\":3}", null));
        assertEquals(StoreException.Kind.CONFLICT, taken.kind());
        assertEquals(Optional.of("{\"revision\":2}"), vault.field("secret/ops/rotor/db-password.prod", "journal"));
    }

    @Test
    void twoRunsTakingTheLeaseAtOnceCannotBothWin() {
        Store store = stores.open(vault);
        Address journal = store.journalAddress("unit");
        // the other run writes between our read and our check-and-set write
        vault.beforeNextWrite(() -> vault.put("secret/rotor/journal/unit", "journal", "{\"run\":\"other\"}"));
        StoreException e = assertThrows(StoreException.class, () -> store.writeIfVersion(journal, "{\"run\":\"me\"}", null));
        assertEquals(StoreException.Kind.CONFLICT, e.kind());
        assertEquals(Optional.of("{\"run\":\"other\"}"), vault.field("secret/rotor/journal/unit", "journal"));
    }

    @Test
    void preflightRefusesAMissingCapabilityNamingThePathAndTheCapability() {
        vault.policy("secret/data/mutt/prod", "read");
        Store store = stores.open(vault);
        StoreException e = assertThrows(StoreException.class, () -> store.preflight(List.of(NEXT,
                store.journalAddress("db-password"))));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().contains("secret/data/mutt/prod lacks create, update"), e.getMessage());
        assertFalse(e.getMessage().contains("rotor/journal"), "the journal path is allowed: " + e.getMessage());
        assertTrue(e.suggestion().contains("path \"secret/data/mutt/prod\""), e.suggestion());
        assertClean(e);
        assertTrue(vault.requests().stream().noneMatch(r -> r.method().equals("POST") && r.path().contains("/data/")),
                "preflight writes nothing");
    }

    @Test
    void preflightPassesWithTheCapabilitiesAndNeedsAPath() {
        Store store = stores.open(vault);
        store.preflight(List.of(NEXT, CURRENT));
        StoreException e = assertThrows(StoreException.class, () -> store.preflight(List.of(Address.of("DB_PASS_NEXT"))));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("has no path"), e.getMessage());
    }

    @Test
    void aForbiddenPathIsAPermissionErrorSayingWhichCapabilityIsNeeded() {
        vault.refuseUnder("secret/mutt/");
        StoreException e = assertThrows(StoreException.class, () -> stores.open(vault).write(NEXT, VALUE));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().contains("permission denied on secret/data/mutt/prod"), e.getMessage());
        assertTrue(e.suggestion().contains("[\"read\"]"), e.suggestion());
        assertClean(e);
    }

    @Test
    void aBadTokenIsAPermissionErrorWithoutTheToken() {
        Store store = stores.open(vault, Map.of("token", "hvs.not-a-valid-token-0005"), Map.of());
        StoreException e = assertThrows(StoreException.class, () -> store.read(NEXT));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertFalse((e.getMessage() + e.suggestion()).contains("hvs.not-a-valid-token-0005"));
        assertTrue(e.suggestion().contains("invalid or expired"), e.suggestion());
    }

    @Test
    void anUnknownMountIsNotFound() {
        StoreException e = assertThrows(StoreException.class,
                () -> stores.open(vault, Map.of("mount", "kv"), Map.of()).read(NEXT));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("no KV v2 mount 'kv'?"), e.getMessage());
    }

    @Test
    void aKvVersion1MountIsRefusedBeforeAnyWrite() {
        vault.kv1("legacy");
        StoreException e = assertThrows(StoreException.class,
                () -> stores.open(vault, Map.of("mount", "legacy"), Map.of()).write(NEXT, VALUE));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("mount 'legacy' is KV version 1") && e.getMessage().contains("Rotor needs version 2"),
                e.getMessage());
        assertTrue(e.suggestion().contains("vault kv enable-versioning legacy"), e.suggestion());
        assertTrue(vault.requests().stream().noneMatch(r -> r.method().equals("POST")));
    }

    @Test
    void aMountInsideAnotherMountIsNamed() {
        StoreException e = assertThrows(StoreException.class,
                () -> stores.open(vault, Map.of("mount", "secret/team"), Map.of()).read(NEXT));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(e.suggestion().contains("set mount: secret"), e.suggestion());
    }

    @Test
    void aSealedVaultIsRetriedWithBackoffThenSucceeds() {
        vault.failNext(3, 503);
        Written written = stores.open(vault).write(NEXT, VALUE);
        assertTrue(written.changed());
        assertEquals(Optional.of(VALUE), vault.field("secret/mutt/prod", "DB_PASS_NEXT"));
        assertEquals(3, stores.sleeps.size());
        assertTrue(stores.sleeps.get(2).compareTo(stores.sleeps.get(0)) > 0, "the backoff grows: " + stores.sleeps);
        assertTrue(stores.progress.stream().anyMatch(p -> p.contains("503") && p.contains("Vault is sealed")), stores.progress.toString());
    }

    @Test
    void eachResendIsAnnouncedWithTheStoreTheRequestTheAnswerTheAttemptAndTheWait() {
        Store store = stores.open(vault);
        store.read(NEXT);
        vault.failNext(2, 503);
        store.write(NEXT, VALUE);
        assertEquals(2, stores.progress.size(), stores.progress.toString());
        assertEquals("vault: GET /v1/secret/data/mutt/prod answered 503 (Vault is sealed), retry 1/4 in "
                + seconds(stores.sleeps.get(0)), stores.progress.get(0));
        assertEquals("vault: GET /v1/secret/data/mutt/prod answered 503 (Vault is sealed), retry 2/4 in "
                + seconds(stores.sleeps.get(1)), stores.progress.get(1));
        assertEquals(2, stores.resends.count(), "counted for the run's report");
    }

    private static String seconds(java.time.Duration wait) {
        return String.format(java.util.Locale.ROOT, "%.1f s", wait.toMillis() / 1000.0);
    }

    @Test
    void transientFailuresAreRetriedBoundedly() {
        vault.failNext(100, 429);
        StoreException e = assertThrows(StoreException.class, () -> stores.open(vault, Map.of(), Map.of(), 4).write(NEXT, VALUE));
        assertEquals(StoreException.Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("429") && e.getMessage().contains("4 times"), e.getMessage());
        assertEquals(4, vault.requests().size());
        assertEquals(3, stores.sleeps.size());
        assertClean(e);
    }

    @Test
    void everyRequestCarriesTheTokenTheRequestHeaderAndTheNamespace() {
        vault.requireNamespace("team-a");
        Store store = stores.open(vault, Map.of("namespace", "team-a/"), Map.of());
        store.write(NEXT, VALUE);
        assertEquals(Optional.of(VALUE), store.read(NEXT).map(Stored::value));
        for (VaultDouble.Request r : vault.requests()) {
            assertEquals("true", r.headers().get("x-vault-request"), r.path());
            assertEquals("team-a", r.headers().get("x-vault-namespace"), r.path());
            assertEquals(VaultDouble.ROOT_TOKEN, r.headers().get("x-vault-token"), r.path());
        }
        StoreException e = assertThrows(StoreException.class, () -> stores.open(vault).read(NEXT));
        assertEquals(StoreException.Kind.PERMISSION, e.kind(), "without the namespace");
    }

    @Test
    void githubOidcAsksGithubForATokenThenLogsInWithTheRole() {
        Map<String, String> env = Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", vault.oidcRequestUrl(),
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", VaultDouble.OIDC_BEARER);
        Store store = stores.open(vault, Map.of("auth", "github-oidc", "role", "rotor", "audience", "https://vault.example.com"), env);
        store.write(NEXT, VALUE);
        List<VaultDouble.Request> requests = vault.requests();
        VaultDouble.Request github = requests.get(0);
        assertEquals("/_github/token?api-version=2.0&audience=https%3A%2F%2Fvault.example.com", github.path());
        assertEquals("bearer " + VaultDouble.OIDC_BEARER, github.headers().get("authorization"));
        VaultDouble.Request login = requests.get(1);
        assertEquals("/v1/auth/jwt/login", login.path());
        assertEquals("{\"role\":\"rotor\",\"jwt\":\"" + VaultDouble.OIDC_JWT + "\"}", login.body());
        assertEquals(null, login.headers().get("x-vault-token"));
        assertTrue(requests.subList(2, requests.size()).stream()
                .allMatch(r -> r.headers().get("x-vault-token").startsWith(VaultDouble.LOGIN_TOKEN)));
        assertEquals(Optional.of(VALUE), vault.field("secret/mutt/prod", "DB_PASS_NEXT"));
        assertTrue(stores.progress.stream().allMatch(p -> !p.contains(VaultDouble.LOGIN_TOKEN)));
    }

    @Test
    void githubOidcLogsInAgainBeforeTheLeaseEndsAndAfterARevokedToken() {
        vault.leaseSeconds(60);
        Map<String, String> env = Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", vault.oidcRequestUrl(),
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", VaultDouble.OIDC_BEARER);
        Store store = stores.open(vault, Map.of("auth", "github-oidc", "role", "rotor", "auth-mount", "github"), env);
        store.read(NEXT);
        stores.now = stores.now.plusSeconds(50);
        store.read(NEXT);
        vault.revokeLogins();
        store.read(NEXT);
        assertEquals(3, vault.requests().stream().filter(r -> r.path().equals("/v1/auth/github/login")).count());
    }

    @Test
    void githubOidcRefusalsSayWhatToFix() {
        StoreException noPermission = assertThrows(StoreException.class, () -> stores.open(vault,
                Map.of("auth", "github-oidc", "role", "rotor"), Map.of()).read(NEXT));
        assertEquals(StoreException.Kind.PERMISSION, noPermission.kind());
        assertTrue(noPermission.suggestion().contains("id-token: write"), noPermission.suggestion());
        Map<String, String> env = Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", vault.oidcRequestUrl(),
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", VaultDouble.OIDC_BEARER);
        StoreException badRole = assertThrows(StoreException.class, () -> stores.open(vault,
                Map.of("auth", "github-oidc", "role", "other"), env).read(NEXT));
        assertEquals(StoreException.Kind.PERMISSION, badRole.kind());
        assertTrue(badRole.getMessage().contains("role 'other'") && badRole.getMessage().contains("invalid audience"),
                badRole.getMessage());
        assertClean(badRole);
    }

    @Test
    void anOidcRequestUrlThatIsNoUrlFailsAtOnceWithoutRetries() {
        Map<String, String> env = Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", "pipelines/token", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                VaultDouble.OIDC_BEARER);
        StoreException e = assertThrows(StoreException.class, () -> stores.open(vault,
                Map.of("auth", "github-oidc", "role", "rotor"), env).read(NEXT));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertEquals("the GitHub OIDC token endpoint is not at an http(s) URL", e.getMessage());
        assertEquals(List.of(), stores.sleeps);
        assertEquals(0, vault.requests().size());
    }

    @Test
    void settingsAreCheckedTogetherBeforeAnyRequest() {
        StoreException e = assertThrows(StoreException.class, () -> new VaultProvider().openStore("vault",
                Map.of("auth", "github-oidc", "token", "x", "address", "vault:8200"),
                new dev.rotor.store.ProviderContext(Map.of(), java.nio.file.Path.of("."), java.time.Clock.systemUTC(), s -> { })));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("address must be") && e.getMessage().contains("not both")
                && e.getMessage().contains("needs role"), e.getMessage());
        assertEquals(0, vault.requests().size());
        StoreException none = assertThrows(StoreException.class, () -> new VaultProvider().openStore("vault", Map.of(),
                new dev.rotor.store.ProviderContext(Map.of("VAULT_ADDR", "https://v:8200"), java.nio.file.Path.of("."),
                        java.time.Clock.systemUTC(), s -> { })));
        assertTrue(none.getMessage().contains("set token") && !none.getMessage().contains("address"), none.getMessage());
    }

    @Test
    void aSoftDeletedLatestVersionReadsAsAbsentAndIsWrittenOnTop() {
        vault.put("secret/mutt/prod", "DB_PASS_NEXT", "deleted-value");
        vault.deleteLatest("secret/mutt/prod");
        Store store = stores.open(vault);
        assertEquals(Optional.empty(), store.read(NEXT));
        assertEquals("2", store.write(NEXT, VALUE).version());
        assertEquals(Optional.of(VALUE), store.read(NEXT).map(Stored::value));
    }

    @Test
    void pathsAreEncodedSegmentBySegment() {
        Address odd = new Address("KEY", Map.of("path", "team a/app+1"));
        Store store = stores.open(vault);
        store.write(odd, VALUE);
        assertEquals(Optional.of(VALUE), vault.field("secret/team a/app+1", "KEY"));
        assertTrue(vault.requests().stream().anyMatch(r -> r.path().equals("/v1/secret/data/team%20a/app%2B1")));
    }

    @Test
    void aDeleteRemovesOneFieldByCheckAndSetAndKeepsAFieldWrittenConcurrently() {
        vault.put("secret/app/jwt", "jwt-secret-v1", "expired-key");
        vault.put("secret/app/jwt", "jwt-secret-v2", "live-key");
        vault.put("secret/app/jwt", "active-key", "jwt-secret-v2");
        vault.beforeNextWrite(() -> vault.put("secret/app/jwt", "jwt-secret-v3", "written-concurrently"));
        stores.open(vault).delete(new Address("jwt-secret-v1", Map.of("path", "app/jwt")));
        assertEquals(List.of("jwt-secret-v2", "active-key", "jwt-secret-v3"), vault.fieldNames("secret/app/jwt"));
        assertEquals(Optional.of("live-key"), vault.field("secret/app/jwt", "jwt-secret-v2"));
        assertEquals(Optional.of("jwt-secret-v2"), vault.field("secret/app/jwt", "active-key"));
        assertEquals(Optional.of("written-concurrently"), vault.field("secret/app/jwt", "jwt-secret-v3"));
        List<String> posts = vault.requests().stream().filter(r -> r.method().equals("POST")).map(VaultDouble.Request::body)
                .toList();
        assertEquals(2, posts.size());
        assertTrue(posts.get(0).contains("\"options\":{\"cas\":3}"), posts.get(0));
        assertTrue(posts.get(1).contains("\"options\":{\"cas\":4}"), posts.get(1));
    }

    @Test
    void deletingTheLastFieldLeavesAnEmptySecretWithItsHistory() {
        vault.put("secret/app/jwt", "jwt-secret-v1", "expired-key");
        Store store = stores.open(vault);
        store.delete(new Address("jwt-secret-v1", Map.of("path", "app/jwt")));
        assertEquals(2, vault.versions("secret/app/jwt"));
        assertEquals(List.of(), vault.fieldNames("secret/app/jwt"));
        assertEquals(Optional.empty(), store.read(new Address("jwt-secret-v1", Map.of("path", "app/jwt"))));
    }

    @Test
    void deletingAFieldThatIsGoneWritesNoVersion() {
        vault.put("secret/app/jwt", "jwt-secret-v2", "live-key");
        Store store = stores.open(vault);
        store.delete(new Address("jwt-secret-v1", Map.of("path", "app/jwt")));
        store.delete(new Address("jwt-secret-v1", Map.of("path", "never/written")));
        assertEquals(1, vault.versions("secret/app/jwt"));
        assertEquals(0, vault.versions("secret/never/written"));
        assertEquals(0, vault.requests().stream().filter(r -> r.method().equals("POST")).count());
    }

    @Test
    void aDeleteVaultRefusesIsAPermissionErrorNamingTheFieldPathAndCapability() {
        vault.put("secret/app/jwt", "jwt-secret-v1", VALUE);
        vault.policy("secret/data/app/jwt", "read");
        StoreException e = assertThrows(StoreException.class,
                () -> stores.open(vault).delete(new Address("jwt-secret-v1", Map.of("path", "app/jwt"))));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().contains("secret/data/app/jwt"), e.getMessage());
        assertTrue(e.suggestion().contains("\"create\", \"update\""), e.suggestion());
        assertClean(e);
        assertEquals(Optional.of(VALUE), vault.field("secret/app/jwt", "jwt-secret-v1"));
    }
}
