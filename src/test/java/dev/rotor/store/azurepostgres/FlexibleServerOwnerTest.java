package dev.rotor.store.azurepostgres;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rotor.github.FakeTime;
import dev.rotor.store.Owner;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;
import dev.rotor.store.StoreException.Kind;
import dev.rotor.store.postgres.EmbeddedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ARM conversation of the flexible server owner: the PATCH, the operation, preflight, retries and credentials. */
class FlexibleServerOwnerTest {
    private static final String OLD = "flex-old-Hq27";
    private static final String NEW = "flex-new-Qz81";
    private static final String WHO = "azure-postgres-flexible store 'pgserver' (pgflex-mindwell-dev): ";
    private static final String SERVER = "server 'pgflex-mindwell-dev' (resource group 'rg-mindwell-dev', subscription "
            + "ffffffff-ffff-ffff-ffff-ffffffffffff)";

    private final EmbeddedServer postgres = EmbeddedServer.get();
    private final FakeTime time = new FakeTime();
    private final List<String> progress = new ArrayList<>();
    private final ProviderContext.Resends resends = new ProviderContext.Resends();
    private ArmDouble arm;

    @BeforeEach
    void start() {
        postgres.role(ArmDouble.ADMIN, OLD);
        arm = new ArmDouble(postgres);
    }

    @AfterEach
    void stop() {
        arm.close();
    }

    private Owner owner() {
        return Owners.open(arm, time, progress::add, resends);
    }

    @Test
    void acceptPatchesOnlyThePasswordFollowsTheOperationAsRetryAfterAsksAndTheNewPasswordLogsIn() {
        Owner owner = owner();
        owner.preflight(null);
        owner.accept(NEW, OLD);

        arm.wireMock().verify(1, patchRequestedFor(urlPathEqualTo(ArmDouble.SERVER_PATH))
                .withQueryParam("api-version", equalTo("2022-12-01"))
                .withHeader("Authorization", equalTo("Bearer " + ArmDouble.ACCESS_TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"properties\":{\"administratorLoginPassword\":\"" + NEW + "\"}}")));
        arm.wireMock().verify(2, getRequestedFor(urlPathEqualTo(ArmDouble.OPERATION_PATH))
                .withQueryParam("api-version", equalTo("2022-12-01")));
        arm.wireMock().verify(0, getRequestedFor(urlPathEqualTo(ArmDouble.RESULT_PATH)));
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(7)), time.sleeps(),
                "the PATCH's Retry-After, then the InProgress answer's");
        List<LoggedRequest> carrying = arm.wireMock().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> (r.getAbsoluteUrl() + r.getHeaders() + r.getBodyAsString()).contains(NEW)).toList();
        assertEquals(1, carrying.size(), "the password travels in the PATCH body only");
        assertEquals("PATCH", carrying.get(0).getMethod().getName());
        assertTrue(postgres.loginWorks(ArmDouble.ADMIN, NEW));
        assertFalse(postgres.loginWorks(ArmDouble.ADMIN, OLD), "single credential: the old one stopped working");
        assertEquals(java.util.Optional.empty(), owner.test(NEW));
        arm.wireMock().verify(postRequestedFor(urlPathEqualTo("/" + ArmDouble.TENANT + "/oauth2/v2.0/token")));
        assertEquals(List.of(), progress);
    }

    @Test
    void planSaysNewConnectionsWithTheOldPasswordAreRefused() {
        assertEquals("single credential: once pgflex-mindwell-dev accepts the new password, new connections with "
                + "the old one are refused until every target holds the new one", owner().consumerImpact().orElseThrow());
    }

    @Test
    void aFailedOperationReportsItsErrorCodeAndMessageAndTheServerKeepsItsPassword() {
        arm.operationEnds("Failed", "{\"code\":\"InternalServerError\",\"message\":\"An unexpected error occured "
                + "while processing the request. Tracking ID: '5b5e7b4c-1d2a-4b8e-9e1f-0c6a2d8e4f11'\"}");
        refused(Kind.FAILED, () -> owner().accept(NEW, OLD), WHO + "the administrator password update of " + SERVER
                + " ended Failed: InternalServerError: An unexpected error occured while processing the request. "
                + "Tracking ID: '5b5e7b4c-1d2a-4b8e-9e1f-0c6a2d8e4f11' (operation " + arm.url()
                + ArmDouble.OPERATION_PATH + ") (the server keeps its previous password; fix the cause and re-run)");
        assertTrue(postgres.loginWorks(ArmDouble.ADMIN, OLD));
        assertFalse(postgres.loginWorks(ArmDouble.ADMIN, NEW));
    }

    @Test
    void anOperationErrorThatQuotesTheValueIsWithheldAndCanceledIsReportedToo() {
        arm.operationEnds("Canceled", "{\"code\":\"PasswordPolicyViolation\",\"message\":\"The password '" + NEW
                + "' does not meet\\n the policy.\"}");
        StoreException e = refused(Kind.FAILED, () -> owner().accept(NEW, OLD), WHO + "the administrator password "
                + "update of " + SERVER + " ended Canceled: PasswordPolicyViolation: (message withheld: it quoted the "
                + "value) (operation " + arm.url() + ArmDouble.OPERATION_PATH + ") (the server keeps its previous "
                + "password; fix the cause and re-run)");
        assertFalse(e.getMessage().contains(NEW));
    }

    @Test
    void anOperationStillRunningAtTheTimeoutNamesTheServerAndTheOperationWithoutItsQuery() {
        arm.wireMock().stubFor(get(urlPathEqualTo(ArmDouble.OPERATION_PATH)).willReturn(ArmDouble.json(200,
                "{\"name\":\"" + ArmDouble.OPERATION_ID + "\",\"status\":\"InProgress\",\"startTime\":\"2026-11-30T18:00:00Z\"}")
                .withHeader("Retry-After", "7")));
        Map<String, Object> settings = arm.settings();
        settings.put("operation-timeout", "20s");
        Owner owner = Owners.open(settings, arm.environment(), ArmDouble.ADMIN, time, progress::add, resends);
        refused(Kind.FAILED, () -> owner.accept(NEW, OLD), WHO + "the administrator password update of " + SERVER
                + " did not finish within 20s (operation InProgress: " + arm.url() + ArmDouble.OPERATION_PATH + ") "
                + "(re-run to resume (it sends the update again, harmlessly) or raise operation-timeout)");
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(7)), time.sleeps());
    }

    @Test
    void anOperationWithOnlyALocationIsFollowedUntilItStopsAnswering202() {
        arm.wireMock().stubFor(patch(urlPathEqualTo(ArmDouble.SERVER_PATH)).willReturn(aResponse().withStatus(202)
                .withHeader("Location", arm.url() + ArmDouble.RESULT_PATH + "?api-version=2022-12-01")
                .withHeader("Retry-After", "3")));
        arm.wireMock().stubFor(get(urlPathEqualTo(ArmDouble.RESULT_PATH)).inScenario("location")
                .whenScenarioStateIs(STARTED).willSetStateTo("done").willReturn(aResponse().withStatus(202)
                        .withHeader("Location", arm.url() + ArmDouble.RESULT_PATH + "?api-version=2022-12-01")));
        arm.wireMock().stubFor(get(urlPathEqualTo(ArmDouble.RESULT_PATH)).inScenario("location")
                .whenScenarioStateIs("done").willReturn(aResponse().withStatus(204)));
        owner().accept(NEW, OLD);
        arm.wireMock().verify(2, getRequestedFor(urlPathEqualTo(ArmDouble.RESULT_PATH)));
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(5)), time.sleeps(),
                "Retry-After, then ARM's default when none is named");
    }

    @Test
    void aServerThatIsUpdatingIsWaitedForBeforeThePatch() {
        arm.wireMock().stubFor(get(urlPathEqualTo(ArmDouble.SERVER_PATH)).inScenario("busy").whenScenarioStateIs(STARTED)
                .willSetStateTo("ready").willReturn(ArmDouble.json(200, "{\"name\":\"pgflex-mindwell-dev\","
                        + "\"properties\":{\"administratorLogin\":\"mindwelladmin\",\"state\":\"Updating\"}}")));
        arm.wireMock().stubFor(get(urlPathEqualTo(ArmDouble.SERVER_PATH)).inScenario("busy").whenScenarioStateIs("ready")
                .willReturn(ArmDouble.json(200, "{\"name\":\"pgflex-mindwell-dev\","
                        + "\"properties\":{\"administratorLogin\":\"mindwelladmin\",\"state\":\"Ready\"}}")));
        owner().accept(NEW, OLD);
        assertEquals(List.of("  azure-postgres-flexible store 'pgserver': server is Updating, waiting for Ready"), progress);
        assertTrue(postgres.loginWorks(ArmDouble.ADMIN, NEW));
    }

    @Test
    void preflightRefusesAStoppedServerAndNamesHowToStartIt() {
        arm.stubServer("Stopped");
        refused(Kind.INVALID, () -> owner().preflight(null), WHO + "the server is Stopped, not Ready: its password cannot "
                + "be changed now (start it (az postgres flexible-server start --name pgflex-mindwell-dev "
                + "--resource-group rg-mindwell-dev))");
        arm.wireMock().verify(0, patchRequestedFor(urlPathEqualTo(ArmDouble.SERVER_PATH)));
    }

    @Test
    void preflightRefusesAUserThatIsNotTheServersAdministrator() {
        Owner owner = Owners.open(arm.settings(), arm.environment(), "app_user", time, progress::add, resends);
        refused(Kind.INVALID, () -> owner.preflight(null), WHO + "owner user 'app_user' is not the administrator login of the "
                + "server ('mindwelladmin') (set owner user: mindwelladmin, or use type: postgres to rotate another role)");
    }

    @Test
    void preflightNamesTheRoleWhenTheServerCannotBeRead() {
        arm.wireMock().stubFor(get(urlPathEqualTo(ArmDouble.SERVER_PATH)).willReturn(ArmDouble.json(403,
                "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client '" + ArmDouble.CLIENT_ID
                        + "' with object id '" + ArmDouble.CLIENT_ID + "' does not have authorization to perform action "
                        + "'Microsoft.DBforPostgreSQL/flexibleServers/read' over scope '" + ArmDouble.SERVER_PATH
                        + "' or the scope is invalid. If access was recently granted, please refresh your credentials.\"}}")));
        StoreException e = refused(Kind.PERMISSION, () -> owner().preflight(null), null);
        assertTrue(e.getMessage().startsWith(WHO + "preflight (read the server) of " + SERVER + ": answered 403 "
                + "AuthorizationFailed: The client"), e.getMessage());
        assertEquals("assign Reader (Microsoft.DBforPostgreSQL/flexibleServers/read) on the server, and Contributor or "
                + "a role with Microsoft.DBforPostgreSQL/flexibleServers/write to rotate", e.suggestion());
    }

    @Test
    void preflightNamesAServerThatDoesNotExist() {
        arm.wireMock().stubFor(get(urlPathEqualTo(ArmDouble.SERVER_PATH)).willReturn(ArmDouble.json(404,
                "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource 'Microsoft.DBforPostgreSQL/"
                        + "flexibleServers/pgflex-mindwell-dev' under resource group 'rg-mindwell-dev' was not found. "
                        + "For more details please go to https://aka.ms/ARMResourceNotFoundFix\"}}")));
        refused(Kind.NOT_FOUND, () -> owner().preflight(null), WHO + "preflight (read the server): " + SERVER
                + " not found (ResourceNotFound) (check subscription, resource-group and server)");
    }

    @Test
    void preflightRefusesAnIdentityThatMayReadButNotWriteTheServer() {
        arm.stubPermissions("[\"*/read\",\"Microsoft.DBforPostgreSQL/flexibleServers/read\"]", "[]");
        refused(Kind.PERMISSION, () -> owner().preflight(null), WHO + "preflight: the Azure identity may read but not "
                + "change " + SERVER + " (Microsoft.DBforPostgreSQL/flexibleServers/write is not granted) (assign "
                + "Contributor on the server, or a role with Microsoft.DBforPostgreSQL/flexibleServers/write (and "
                + "Microsoft.DBforPostgreSQL/locations/azureAsyncOperation/read to follow it))");
        arm.stubPermissions("[\"Microsoft.DBforPostgreSQL/*\"]", "[\"Microsoft.DBforPostgreSQL/flexibleServers/write\"]");
        assertThrows(StoreException.class, () -> owner().preflight(null), "notActions take the action away");
        arm.stubPermissions("[\"Microsoft.DBforPostgreSQL/flexibleServers/*\"]", "[]");
        owner().preflight(null);
    }

    @Test
    void aThrottledRequestIsResentAfterItsRetryAfterAndAnnounced() {
        arm.wireMock().stubFor(get(urlPathEqualTo(ArmDouble.SERVER_PATH)).inScenario("throttle")
                .whenScenarioStateIs(STARTED).willSetStateTo("open").willReturn(ArmDouble.json(429,
                        "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"The request is being throttled.\"}}")
                        .withHeader("Retry-After", "1")));
        arm.wireMock().stubFor(get(urlPathEqualTo(ArmDouble.SERVER_PATH)).inScenario("throttle")
                .whenScenarioStateIs("open").willReturn(ArmDouble.json(200, "{\"name\":\"pgflex-mindwell-dev\","
                        + "\"properties\":{\"administratorLogin\":\"mindwelladmin\",\"state\":\"Ready\"}}")));
        owner().preflight(null);
        assertEquals(List.of("azure-postgres-flexible store 'pgserver': GET " + ArmDouble.SERVER_PATH
                + " answered 429, retry 1/2 in 1.0 s"), progress);
        assertEquals(1, resends.count());
    }

    @Test
    void aServiceUnavailableForeverIsResentABoundedNumberOfTimesThenReported() {
        arm.wireMock().stubFor(get(urlPathEqualTo(ArmDouble.SERVER_PATH)).willReturn(ArmDouble.json(503,
                "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The service is temporarily unavailable.\"}}")));
        refused(Kind.TRANSIENT, () -> owner().preflight(null), WHO + "preflight (read the server): answered 503 "
                + "ServiceUnavailable: The service is temporarily unavailable.");
        arm.wireMock().verify(3, getRequestedFor(urlPathEqualTo(ArmDouble.SERVER_PATH)));
        assertEquals(2, progress.size(), String.join("\n", progress));
        assertEquals(2, resends.count());
    }

    @Test
    void aRefusedClientSecretIsOneLineNamingTheStoreAndTheOperationWithoutTheSecretOrAToken() {
        Map<String, String> environment = arm.environment();
        environment.put("AZURE_CLIENT_SECRET", "entra-wrong-secret-4Lp");
        Owner owner = Owners.open(arm.settings(), environment, ArmDouble.ADMIN, time, progress::add, resends);
        StoreException e = refused(Kind.PERMISSION, () -> owner.preflight(null), "azure-postgres-flexible store 'pgserver': "
                + "preflight (read the server): Microsoft Entra ID refused the Azure credential "
                + "(ClientAuthenticationException) (check AZURE_TENANT_ID, AZURE_CLIENT_ID and the federated "
                + "credential or secret of that application)");
        assertFalse(e.getMessage().contains("entra-wrong-secret-4Lp"));
        arm.wireMock().verify(0, getRequestedFor(urlPathEqualTo(ArmDouble.SERVER_PATH)));
    }

    @Test
    void testRefusesTheOldPasswordAfterAcceptWithoutNamingIt() {
        Owner owner = owner();
        owner.accept(NEW, OLD);
        StoreException e = refused(Kind.PERMISSION, () -> owner.test(OLD), null);
        assertEquals(WHO + "logging in as 'mindwelladmin' at localhost:" + postgres.port() + ": password "
                + "authentication failed (SQLState 28P01)", e.getMessage());
        assertFalse(e.getMessage().contains(OLD));
    }

    /** Asserts the failure's kind and, unless null, its message with its suggestion as engine.Failures prints it. */
    private static StoreException refused(Kind kind, Executable action, String described) {
        StoreException e = assertThrows(StoreException.class, action);
        assertEquals(kind, e.kind(), e.getMessage());
        if (described != null) {
            assertEquals(described, e.getMessage() + (e.suggestion().isEmpty() ? "" : " (" + e.suggestion() + ")"));
        }
        assertFalse(e.getMessage().contains(ArmDouble.ACCESS_TOKEN) || e.getMessage().contains(ArmDouble.CLIENT_SECRET));
        return e;
    }
}
