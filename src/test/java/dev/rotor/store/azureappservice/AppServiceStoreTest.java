package dev.rotor.store.azureappservice;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.azure.AzureDouble;
import dev.rotor.store.Address;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;

/** App Service settings through ARM: neighbours and sticky flags kept, slots, one restart per call, retries, errors. */
class AppServiceStoreTest {
    private static final String RG = "rg-mindwell-dev";
    private static final String APP = "mindwell-dev-api";
    private static final String SITE = AzureDouble.sitePath(RG, APP, null);
    private static final String URL_VALUE = "postgresql+asyncpg://mindwelladmin:n3w%2Fp4ss@pgflex-mindwell-dev.postgres.database.azure.com:5432/mindwell_app?sslmode=require";
    private AzureDouble azure;
    private AppServiceStores stores;

    @BeforeEach
    void start() {
        azure = new AzureDouble();
        stores = new AppServiceStores();
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    private static Map<String, String> tenNeighbours() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 1; i <= 10; i++) {
            settings.put("NEIGHBOUR_" + i, "value of neighbour " + i + " = kept");
        }
        return settings;
    }

    @Test
    void tenNeighbouringSettingsAndTheSlotStickyNamesSurviveAWrite() throws Exception {
        Map<String, String> before = tenNeighbours();
        before.put("DATABASE_URL", "postgresql+asyncpg://old");
        azure.app(RG, APP, null, before, List.of("DATABASE_URL", "NEIGHBOUR_3"));
        Store store = stores.open(azure, Map.of());

        assertTrue(store.write(Address.of("DATABASE_URL"), URL_VALUE).changed());

        Map<String, String> expected = new LinkedHashMap<>(tenNeighbours());
        expected.put("DATABASE_URL", URL_VALUE);
        assertEquals(expected, azure.settings(RG, APP, null));
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> puts = azure.requests("PUT", SITE + "/config/appsettings");
        assertEquals(1, puts.size());
        JsonNode body = new ObjectMapper().readTree(puts.get(0).getBodyAsString());
        assertEquals(11, body.path("properties").size(), "the PUT carries every setting: " + body.path("properties").fieldNames());
        assertEquals("value of neighbour 10 = kept", body.path("properties").path("NEIGHBOUR_10").asText());
        assertEquals(List.of(), azure.requests("PUT", ".*slotConfigNames.*"), "sticky flags are never written");
        assertEquals(List.of(), azure.requests("PATCH", ".*"), "nothing is patched");
        assertEquals(URL_VALUE, store.read(Address.of("DATABASE_URL")).orElseThrow().value());
        assertFalse(store.write(Address.of("DATABASE_URL"), URL_VALUE).changed(), "equal bytes are not written again");
        assertEquals(1, azure.requests("PUT", SITE + "/config/appsettings").size());
        assertTrue(azure.requests("POST", SITE + "/config/appsettings/list").stream()
                .allMatch(r -> r.getUrl().endsWith("?api-version=2023-12-01")));
        assertTrue(azure.requests("POST", SITE + "/config/appsettings/list").stream()
                .allMatch(r -> ("Bearer " + AzureDouble.TOKEN).equals(r.getHeader("Authorization"))));
    }

    @Test
    void aSlotIsWrittenThroughItsOwnPathsAndProductionStaysAsItWas() {
        azure.app(RG, APP, null, Map.of("DATABASE_URL", "production-value"), List.of("DATABASE_URL"));
        azure.app(RG, APP, "staging", Map.of("DATABASE_URL", "staging-old", "OTHER", "o"), List.of("DATABASE_URL"));
        Store store = stores.open(azure, Map.of("slot", "staging"));
        store.write(Address.of("DATABASE_URL"), "staging-new");
        assertEquals(Map.of("DATABASE_URL", "staging-new", "OTHER", "o"), azure.settings(RG, APP, "staging"));
        assertEquals(Map.of("DATABASE_URL", "production-value"), azure.settings(RG, APP, null));
        assertEquals(1, azure.requests("PUT", SITE + "/slots/staging/config/appsettings").size());
        assertEquals(List.of(), azure.requests("PUT", SITE + "/config/appsettings"));
    }

    @Test
    void twoSettingsAskingForARestartRestartTheAppOnceAndWaitUntilItAnswers() {
        azure.app(RG, APP, null, tenNeighbours(), List.of());
        Store store = stores.open(azure, Map.of());
        Address url = new Address("DATABASE_URL", Map.of("restart", true));
        Address password = new Address("POSTGRES_PASSWORD", Map.of("restart", true));
        store.write(url, "u");
        store.write(password, "p");
        store.restart(List.of(url, password));
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> restarts = azure.requests("POST", SITE + "/restart");
        assertEquals(1, restarts.size());
        assertTrue(restarts.get(0).getUrl().contains("softRestart=false&synchronous=true"), restarts.get(0).getUrl());
        assertEquals(1, azure.requests("GET", "/").size(), "the app's host name answered once");
        assertTrue(stores.progress.contains("store 'web' (azure-app-service): restarting mindwell-dev-api for DATABASE_URL, "
                + "POSTGRES_PASSWORD"), stores.progress.toString());
        assertTrue(stores.progress.contains("store 'web' (azure-app-service): mindwell-dev-api answers again (200)"),
                stores.progress.toString());

        store.restart(List.of(Address.of("DATABASE_URL"), new Address("OTHER", Map.of("restart", false))));
        assertEquals(1, azure.requests("POST", SITE + "/restart").size(), "no target asked: no restart");
    }

    @Test
    void aRestartAfterWhichTheAppNeverAnswersFailsWithinItsTimeoutNamingTheApp() {
        azure.app(RG, APP, null, Map.of(), List.of());
        azure.appAnswers(503);
        Store store = stores.open(azure, Map.of("restart-timeout", "1s"));
        long started = System.nanoTime();
        StoreException e = assertThrows(StoreException.class,
                () -> store.restart(List.of(new Address("DATABASE_URL", Map.of("restart", true)))));
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertTrue(seconds < 10, "bounded: " + seconds + " s");
        assertEquals(StoreException.Kind.FAILED, e.kind());
        assertEquals("store 'web' (azure-app-service): app mindwell-dev-api did not come back within 1s of its restart "
                + "(https://127.0.0.1:" + azure.server().httpsPort() + "/ answered 503)", e.getMessage());
        assertEquals(1, azure.requests("POST", SITE + "/restart").size());

        azure.siteState("Stopped");
        StoreException stopped = assertThrows(StoreException.class,
                () -> store.restart(List.of(new Address("DATABASE_URL", Map.of("restart", true)))));
        assertEquals("store 'web' (azure-app-service): app mindwell-dev-api did not come back within 1s of its restart "
                + "(its state was Stopped)", stopped.getMessage());
    }

    @Test
    void restartWaitStateTrustsTheSiteStateWithoutCallingTheHost() {
        azure.app(RG, APP, null, Map.of(), List.of());
        azure.appAnswers(503);
        Store store = stores.open(azure, Map.of("restart-wait", "state"));
        store.restart(List.of(new Address("DATABASE_URL", Map.of("restart", true))));
        assertEquals(List.of(), azure.requests("GET", "/"));
    }

    @Test
    void a429WithRetryAfterIsRetriedByTheSdkPolicyAnnouncedAndCounted() {
        azure.app(RG, APP, null, Map.of("A", "a"), List.of());
        azure.server().stubFor(post(urlPathEqualTo(SITE + "/config/appsettings/list")).atPriority(1)
                .inScenario("throttled").whenScenarioStateIs(STARTED).willSetStateTo("served")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Too many requests.\"}}")));
        Store store = stores.open(azure, Map.of());
        assertEquals("a", store.read(Address.of("A")).orElseThrow().value());
        assertEquals(List.of("store 'web' (azure-app-service): POST " + SITE + "/config/appsettings/list answered 429, "
                + "retry 1/3 in 0.1 s"), stores.progress, "Retry-After 30 s capped at the policy's 0.1 s");
        assertEquals(1, stores.resends.count());
    }

    @Test
    void a503ForeverIsTriedFourTimesThenReportedInOneLine() {
        azure.app(RG, APP, null, Map.of("A", "a"), List.of());
        azure.server().stubFor(post(urlPathEqualTo(SITE + "/config/appsettings/list")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The service is unavailable.\"}}")));
        Store store = stores.open(azure, Map.of());
        StoreException e = assertThrows(StoreException.class, () -> store.write(Address.of("A"), "new-value-503"));
        assertEquals(StoreException.Kind.TRANSIENT, e.kind());
        assertEquals("store 'web' (azure-app-service): Azure answered 503 to list the application settings of "
                + "mindwell-dev-api 4 times (503 ServiceUnavailable)", e.getMessage());
        assertEquals(4, azure.requests("POST", SITE + "/config/appsettings/list").size());
        assertEquals(3, stores.resends.count());
        assertEquals(List.of(), azure.requests("PUT", ".*"));
    }

    @Test
    void aMissingRoleIsOneLineNamingTheOperationAndThePermission() {
        azure.app(RG, APP, null, Map.of("A", "a"), List.of());
        azure.server().stubFor(put(urlPathEqualTo(SITE + "/config/appsettings")).atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client '" + AzureDouble.CLIENT_ID
                                + "' does not have authorization to perform action 'Microsoft.Web/sites/config/write'.\"}}")));
        StoreException e = assertThrows(StoreException.class,
                () -> stores.open(azure, Map.of()).write(Address.of("A"), "secret-value-403"));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertEquals("store 'web' (azure-app-service): Azure refused to write the application settings of "
                + "mindwell-dev-api (403 AuthorizationFailed)", e.getMessage());
        assertEquals("grant the identity Rotor runs as Microsoft.Web/sites/config/write (e.g. the Website Contributor role)",
                e.suggestion());
    }

    @Test
    void aCredentialEntraIdRefusesIsOneLineWithoutTheSecret() {
        azure.app(RG, APP, null, Map.of("A", "a"), List.of());
        azure.server().stubFor(post(urlPathMatching("/" + AzureDouble.TENANT + "/oauth2/v2.0/token")).atPriority(1)
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client "
                                + "secret provided.\",\"error_codes\":[7000215]}")));
        StoreException e = assertThrows(StoreException.class, () -> stores.open(azure, Map.of()).preflight(List.of()));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertEquals("store 'web' (azure-app-service): Microsoft Entra ID refused the credential to list the application "
                + "settings of mindwell-dev-api (ClientAuthenticationException)", e.getMessage());
        assertFalse((e.getMessage() + e.suggestion()).contains(AzureDouble.CLIENT_SECRET));
        assertEquals(List.of(), azure.requests("POST", SITE + "/config/appsettings/list"), "no request without a token");
    }

    @Test
    void aDeleteRemovesOneSettingAndPutsBackEveryOtherWithTheStickyFlagsUntouched() throws Exception {
        Map<String, String> before = tenNeighbours();
        before.put("JWT_SECRET_V1", "expired-key");
        before.put("JWT_SECRET_V2", "live-key");
        azure.app(RG, APP, null, before, List.of("JWT_SECRET_V1", "NEIGHBOUR_3"));
        Store store = stores.open(azure, Map.of());

        store.delete(Address.of("JWT_SECRET_V1"));

        Map<String, String> expected = new LinkedHashMap<>(tenNeighbours());
        expected.put("JWT_SECRET_V2", "live-key");
        assertEquals(expected, azure.settings(RG, APP, null));
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> puts = azure.requests("PUT", SITE + "/config/appsettings");
        assertEquals(1, puts.size());
        JsonNode body = new ObjectMapper().readTree(puts.get(0).getBodyAsString());
        assertEquals(11, body.path("properties").size(), "the PUT carries every other setting");
        assertFalse(body.path("properties").has("JWT_SECRET_V1"));
        assertEquals(List.of(), azure.requests("PUT", ".*slotConfigNames.*"), "sticky flags are never written");

        store.delete(Address.of("JWT_SECRET_V1"));
        store.delete(Address.of("NEVER_SET"));
        assertEquals(1, azure.requests("PUT", SITE + "/config/appsettings").size(), "nothing to delete: no PUT");
    }

    @Test
    void aDeleteOfASlotsSettingLeavesProductionAsItWas() {
        azure.app(RG, APP, null, Map.of("JWT_SECRET_V1", "production-key"), List.of());
        azure.app(RG, APP, "staging", Map.of("JWT_SECRET_V1", "staging-key", "OTHER", "kept"), List.of());
        stores.open(azure, Map.of("slot", "staging")).delete(Address.of("JWT_SECRET_V1"));
        assertEquals(Map.of("OTHER", "kept"), azure.settings(RG, APP, "staging"));
        assertEquals(Map.of("JWT_SECRET_V1", "production-key"), azure.settings(RG, APP, null));
    }
}
