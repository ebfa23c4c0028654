package dev.rotor.store.azurekeyvault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.rotor.store.Capability;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

/** What the azure-key-vault store does on the wire and how it fails, against Key Vault and Entra ID over HTTPS. */
class KeyVaultStoreTest {
    private KeyVaultDouble vault;
    private final KeyVaultStores stores = new KeyVaultStores();

    @BeforeEach
    void start() throws IOException {
        vault = new KeyVaultDouble();
    }

    @AfterEach
    void stop() throws IOException {
        vault.close();
    }

    @Test
    void theFirstRequestMeetsTheBearerChallengeAndTheSdkAnswersItWithATokenFromEntraId() {
        Store store = stores.open(vault);
        Written written = store.write(Address.of("postgres-admin-password"), "first-value");

        assertEquals(List.of(
                "GET /secrets/postgres-admin-password/?api-version=7.5",
                "GET /secrets/postgres-admin-password/?api-version=7.5 (bearer)",
                "PUT /secrets/postgres-admin-password?api-version=7.5 (bearer)"), vault.requests);
        assertEquals(List.of(vault.vaultName + ".vault.azure.net:443", "login.microsoftonline.com:443"),
                vault.connectedHosts().stream().distinct().toList(), "real host names, all through the tunnel");
        assertEquals(vault.latest("postgres-admin-password").orElseThrow().id(), written.version());
        assertTrue(written.version().matches("https://" + vault.vaultName
                + "\\.vault\\.azure\\.net/secrets/postgres-admin-password/[0-9a-f]{32}"), written.version());
        assertTrue(written.changed());
    }

    @Test
    void everyNewValueIsANewVersionWhoseSecretIdIsTheVersionAndStatusReadsItsUpdateTime() {
        Store store = stores.open(vault);
        Address address = Address.of("database-url");
        Written first = store.write(address, "postgresql://one");
        Written second = store.write(address, "postgresql://two");
        Written again = store.write(address, "postgresql://two");

        assertEquals(2, vault.versions("database-url"));
        assertFalse(first.version().equals(second.version()));
        assertEquals(new Written(second.version(), false), again);
        Stored stored = store.read(address).orElseThrow();
        assertEquals("postgresql://two", stored.value());
        assertEquals(second.version(), stored.version());
        assertTrue(store.updatedAt(address).isPresent());
        assertEquals(Optional.empty(), store.read(Address.of("never-written")));
        assertEquals(java.util.Set.of(Capability.READABLE, Capability.VERSIONED, Capability.UPDATED_AT, Capability.DELETE),
                store.capabilities(),
                "no pending slot and no compare-and-set: Key Vault's SetSecret takes no precondition");
    }

    @Test
    void contentTypeAndTagsOfTheTargetAreSetAndThoseOfTheCurrentVersionAreKept() {
        vault.put("database-url", "postgresql://before", "text/plain", Map.of("owner", "platform", "rotated-by", "hand"));
        Store store = stores.open(vault);
        store.write(new Address("database-url", Map.of("content-type", "application/x-postgresql-url",
                "tags", Map.of("rotated-by", "rotor", "environment", "dev"))), "postgresql://after");

        KeyVaultDouble.Version latest = vault.latest("database-url").orElseThrow();
        assertEquals("application/x-postgresql-url", latest.contentType());
        assertEquals(Map.of("owner", "platform", "rotated-by", "rotor", "environment", "dev"), latest.tags());

        store.write(Address.of("database-url"), "postgresql://third");
        latest = vault.latest("database-url").orElseThrow();
        assertEquals("application/x-postgresql-url", latest.contentType(), "a target without content-type keeps it");
        assertEquals(Map.of("owner", "platform", "rotated-by", "rotor", "environment", "dev"), latest.tags());
    }

    @Test
    void aSoftDeletedNameIsRefusedAtPreflightAndAtTheWriteWithWhatToDoAndNeverRecreated() {
        vault.softDelete("postgres-admin-password");
        Store store = stores.open(vault);
        Address address = Address.of("postgres-admin-password");
        String vaultName = vault.vaultName;
        String message = "store 'keyvault' (azure-key-vault): secret 'postgres-admin-password' in vault " + vaultName
                + " is deleted but recoverable (soft delete): Key Vault keeps its name, and Rotor does not recreate it";
        String suggestion = "recover it (az keyvault secret recover --vault-name " + vaultName + " --name "
                + "postgres-admin-password) to keep its history, or purge it (az keyvault secret purge --vault-name "
                + vaultName + " --name postgres-admin-password) to start over; then re-run";

        StoreException atPreflight = assertThrows(StoreException.class, () -> store.preflight(List.of(address)));
        assertEquals(StoreException.Kind.CONFLICT, atPreflight.kind());
        assertEquals(message, atPreflight.getMessage());
        assertEquals(suggestion, atPreflight.suggestion());

        StoreException atWrite = assertThrows(StoreException.class, () -> store.write(address, "new-value"));
        assertEquals(StoreException.Kind.CONFLICT, atWrite.kind());
        assertEquals(message, atWrite.getMessage());
        assertEquals(suggestion, atWrite.suggestion());
        assertTrue(vault.requests.contains("PUT /secrets/postgres-admin-password?api-version=7.5 (bearer)"),
                "the write was tried and answered 409");
        assertEquals(0, vault.versions("postgres-admin-password"), "nothing recreated");
    }

    @Test
    void aMissingRoleNamesTheIdentityTheCallerKeyVaultSawAndTheRoleNeededNeverAToken() {
        vault.forbid("postgres-admin-password");
        Store store = stores.open(vault);
        StoreException e = assertThrows(StoreException.class,
                () -> store.preflight(List.of(Address.of("postgres-admin-password"))));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertEquals("store 'keyvault' (azure-key-vault): client " + KeyVaultDouble.CLIENT_ID + " in tenant "
                + KeyVaultDouble.TENANT + " (appid " + KeyVaultDouble.CLIENT_ID + ", object id " + KeyVaultDouble.CALLER_OID
                + ") may not get secret 'postgres-admin-password' in vault " + vault.vaultName
                + " (403 Forbidden/ForbiddenByRbac)", e.getMessage());
        assertEquals("assign it the role \"Key Vault Secrets Officer\" on the vault (az role assignment create --role "
                + "\"Key Vault Secrets Officer\" --assignee <its object id> --scope <the vault's resource id>), or on a "
                + "vault with access policies grant secret permissions get, set", e.suggestion());
        assertNoCredentialIn(e);
    }

    @Test
    void aThrottledRequestIsRetriedAfterItsRetryAfterCappedAnnouncedAndCounted() {
        Store store = stores.open(vault);
        store.read(Address.of("warm-up"));
        vault.fail(429, 30, 1);
        vault.fail(503, -1, 1);
        Written written = store.write(Address.of("api-key"), "value-after-throttling");

        assertTrue(written.changed());
        assertEquals(2, stores.resends.count());
        assertEquals(List.of(
                "keyvault: GET /secrets/api-key/ answered 429, retry 1/3 in 0.2 s",
                "keyvault: GET /secrets/api-key/ answered 503, retry 2/3 in " + stores.progress.get(1)
                        .replaceAll(".* in ", "")), stores.progress);
        assertTrue(stores.progress.get(1).matches(".* in 0\\.[0-9] s"), "backoff from the SDK's ExponentialBackoff: "
                + stores.progress.get(1));
    }

    @Test
    void anUnavailableVaultIsTriedFourTimesInAllThenReportedAsTransient() {
        Store store = stores.open(vault);
        store.read(Address.of("warm-up"));
        vault.fail(503, 0, 10);
        StoreException e = assertThrows(StoreException.class, () -> store.write(Address.of("api-key"), "never-written"));

        assertEquals(StoreException.Kind.TRANSIENT, e.kind());
        assertEquals("store 'keyvault' (azure-key-vault): Key Vault answered 503 to get secret 'api-key' in vault "
                + vault.vaultName + " 4 times (503 ServiceUnavailable)", e.getMessage());
        assertEquals(3, stores.resends.count());
        assertEquals(3, stores.progress.size());
        assertEquals(0, vault.versions("api-key"));
    }

    @Test
    void noCredentialAtAllIsOneLineNamingTheStoreTheOperationAndHowToSignIn() {
        Map<String, String> env = new java.util.HashMap<>(vault.env());
        env.remove("AZURE_CLIENT_ID");
        env.remove("AZURE_CLIENT_SECRET");
        // only the environment credential: no probe of a managed identity endpoint and no az subprocess in a test
        env.put("AZURE_TOKEN_CREDENTIALS", "EnvironmentCredential");
        Store store = stores.open(vault, env);
        StoreException e = assertThrows(StoreException.class, () -> store.read(Address.of("postgres-admin-password")));

        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertEquals("store 'keyvault' (azure-key-vault): no Azure credential to get secret 'postgres-admin-password' "
                + "in vault " + vault.vaultName + ": DefaultAzureCredential found none", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(List.of(), stores.progress, "a missing credential is not retried");
    }

    @Test
    void aRefusedClientSecretGivesEntraIdsCodeAndNeitherTheSecretNorAToken() {
        Map<String, String> env = new java.util.HashMap<>(vault.env());
        env.put("AZURE_CLIENT_SECRET", "a-wrong-client-secret");
        env.put("AZURE_TOKEN_CREDENTIALS", "EnvironmentCredential");
        Store store = stores.open(vault, env);
        StoreException e = assertThrows(StoreException.class, () -> store.write(Address.of("api-key"), "new-value"));

        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertEquals("store 'keyvault' (azure-key-vault): Entra ID refused a token for client " + KeyVaultDouble.CLIENT_ID
                + " in tenant " + KeyVaultDouble.TENANT + " to get secret 'api-key' in vault " + vault.vaultName
                + " (AADSTS7000215)", e.getMessage());
        assertFalse(e.getMessage().contains("a-wrong-client-secret") || e.suggestion().contains("a-wrong-client-secret"));
        assertEquals(0, vault.versions("api-key"));
    }

    private static void assertNoCredentialIn(StoreException e) {
        String text = e.getMessage() + e.suggestion();
        assertFalse(text.contains(KeyVaultDouble.ACCESS_TOKEN) || text.contains(KeyVaultDouble.CLIENT_SECRET), text);
    }

    @Test
    void aDeleteSoftDeletesOneSecretWithItsVersionsAndItsNameStaysTaken() {
        vault.put("jwt-secret-v1", "expired-one", null, null);
        vault.put("jwt-secret-v1", "expired-two", null, null);
        vault.put("jwt-secret-v2", "live-key", null, null);
        Store store = stores.open(vault);
        Address expired = Address.of("jwt-secret-v1");

        store.delete(expired);

        assertEquals(1, vault.requests.stream().filter(r -> r.equals("DELETE /secrets/jwt-secret-v1?api-version=7.5 (bearer)"))
                .count());
        assertTrue(vault.isSoftDeleted("jwt-secret-v1"));
        assertEquals(0, vault.versions("jwt-secret-v1"));
        assertEquals(Optional.empty(), store.read(expired));
        assertEquals("live-key", store.read(Address.of("jwt-secret-v2")).map(Stored::value).orElseThrow());

        store.delete(expired);
        store.delete(Address.of("never-written"));
        assertEquals(2, vault.requests.stream().filter(r -> r.equals("DELETE /secrets/jwt-secret-v1?api-version=7.5 (bearer)"))
                .count(), "the second delete is answered 404: already gone, no error");
        StoreException reused = assertThrows(StoreException.class, () -> store.write(expired, "same-name-again"));
        assertEquals(StoreException.Kind.CONFLICT, reused.kind(), "a soft-deleted name is not reused until purged");
    }

    @Test
    void aDeleteWithoutTheRoleNamesTheDeletePermission() {
        vault.put("jwt-secret-v1", "expired-key", null, null);
        vault.forbid("jwt-secret-v1");
        StoreException e = assertThrows(StoreException.class, () -> stores.open(vault).delete(Address.of("jwt-secret-v1")));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().endsWith(" may not delete secret 'jwt-secret-v1' in vault " + vault.vaultName
                + " (403 Forbidden/ForbiddenByRbac)"), e.getMessage());
        assertTrue(e.suggestion().endsWith("grant secret permissions get, set, delete"), e.suggestion());
        assertFalse(vault.isSoftDeleted("jwt-secret-v1"));
        assertNoCredentialIn(e);
    }
}
