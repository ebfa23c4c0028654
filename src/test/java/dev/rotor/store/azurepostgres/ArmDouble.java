package dev.rotor.store.azurepostgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.rotor.store.postgres.EmbeddedServer;
import dev.rotor.testing.TestCertificate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;

/**
 * Azure Resource Manager and Microsoft Entra ID's token endpoint for one flexible server, over HTTPS (Azure's token
 * credentials send bearer tokens over HTTPS only), shaped like FlexibleServers.json 2022-12-01 and its examples
 * (ServerGet, ServerUpdate: 202 with Azure-AsyncOperation and Location) and ARM's async-operation status
 * ({@code {"name","status","startTime","endTime","error":{"code","message"}}}). Every ARM stub requires the bearer
 * token the real credential chain obtained with the client secret. When the operation reports Succeeded, the
 * embedded PostgreSQL's administrator role really takes the password the PATCH carried, as the server would.
 */
public final class ArmDouble implements AutoCloseable {
    public static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public static final String CLIENT_ID = "0e7f5a2c-3b1d-4c8e-9f60-1a2b3c4d5e6f";
    public static final String CLIENT_SECRET = "entra-client-secret-double-7Qx";
    public static final String ACCESS_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.arm-double-access-token.c2lnbmF0dXJl";
    static final String SUBSCRIPTION = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    static final String RESOURCE_GROUP = "rg-mindwell-dev";
    static final String SERVER = "pgflex-mindwell-dev";
    public static final String ADMIN = "mindwelladmin";
    static final String SERVER_PATH = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + RESOURCE_GROUP
            + "/providers/Microsoft.DBforPostgreSQL/flexibleServers/" + SERVER;
    static final String OPERATION_ID = "e276a03a-1770-4549-86f5-0edffae8997c";
    static final String OPERATION_PATH = "/subscriptions/" + SUBSCRIPTION
            + "/providers/Microsoft.DBforPostgreSQL/locations/westeurope/azureAsyncOperation/" + OPERATION_ID;
    static final String RESULT_PATH = "/subscriptions/" + SUBSCRIPTION
            + "/providers/Microsoft.DBforPostgreSQL/locations/westeurope/operationResults/" + OPERATION_ID;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedServer postgres;
    private final WireMockServer wireMock;
    private final AtomicReference<String> pendingPassword = new AtomicReference<>();

    private final String retryAfter;

    /** Starts the double with a Ready server administered by {@link #ADMIN}, full permissions and a PATCH that succeeds. */
    ArmDouble(EmbeddedServer postgres) {
        this(postgres, 7);
    }

    /** With the Retry-After (seconds) of the PATCH and of the InProgress answer: 0 where real time passes. */
    public ArmDouble(EmbeddedServer postgres, int retryAfterSeconds) {
        this.postgres = postgres;
        this.retryAfter = String.valueOf(retryAfterSeconds);
        TestCertificate certificate = TestCertificate.get();
        wireMock = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(certificate.keyStore().toString()).keystoreType("PKCS12")
                .keystorePassword(TestCertificate.PASSWORD).keyManagerPassword(TestCertificate.PASSWORD)
                .extensions(new PasswordTransformer()));
        wireMock.start();
        stubEntra();
        addServer(SUBSCRIPTION, RESOURCE_GROUP, SERVER);
        operationEnds("Succeeded", null);
    }

    /**
     * Serves one more flexible server (every environment has its own) as Ready, with full permissions and a PATCH that
     * succeeds; all of them administer the embedded PostgreSQL's {@link #ADMIN}.
     */
    public void addServer(String subscription, String resourceGroup, String server) {
        String path = "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.DBforPostgreSQL/flexibleServers/" + server;
        stubServer(path, server, "Ready");
        stubPermissions(path, "[\"*\"]", "[\"Microsoft.Authorization/*/Delete\",\"Microsoft.Authorization/*/Write\"]");
        stubAccepted(path, retryAfter);
    }

    public String url() {
        return "https://localhost:" + wireMock.httpsPort();
    }

    public WireMockServer wireMock() {
        return wireMock;
    }

    /** The environment the credential chain reads: a service principal with a client secret, against this double. */
    Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("AZURE_AUTHORITY_HOST", url());
        environment.put("AZURE_TENANT_ID", TENANT);
        environment.put("AZURE_CLIENT_ID", CLIENT_ID);
        environment.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
        // Should the chain ever reach managed identity, it asks this loopback double, never the instance metadata address.
        environment.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", url());
        return environment;
    }

    /** The store's settings: ARM here, the login test against the embedded PostgreSQL without TLS. */
    Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("subscription", SUBSCRIPTION);
        settings.put("resource-group", RESOURCE_GROUP);
        settings.put("server", SERVER);
        settings.put("management-url", url());
        settings.put("ca-bundle", TestCertificate.get().pem().toString());
        settings.put("host", "localhost");
        settings.put("port", String.valueOf(postgres.port()));
        settings.put("sslmode", "disable");
        return settings;
    }

    /** Entra ID: MSAL's instance discovery for an authority it does not know, and the v2.0 token endpoint. */
    private void stubEntra() {
        String host = "localhost:" + wireMock.httpsPort();
        wireMock.stubFor(get(urlPathEqualTo("/common/discovery/instance")).willReturn(json(200, """
                {"tenant_discovery_endpoint":"https://%1$s/%2$s/v2.0/.well-known/openid-configuration",
                 "api-version":"1.1","metadata":[{"preferred_network":"%1$s","preferred_cache":"%1$s",
                 "aliases":["%1$s"]}]}""".formatted(host, TENANT))));
        wireMock.stubFor(post(urlPathEqualTo("/" + TENANT + "/oauth2/v2.0/token")).atPriority(9)
                .willReturn(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: "
                        + "Invalid client secret provided. Ensure the secret being sent in the request is the client "
                        + "secret value, not the client secret ID.\",\"error_codes\":[7000215]}")));
        wireMock.stubFor(post(urlPathEqualTo("/" + TENANT + "/oauth2/v2.0/token"))
                .withFormParam("client_id", equalTo(CLIENT_ID))
                .withFormParam("client_secret", equalTo(CLIENT_SECRET))
                .withFormParam("grant_type", equalTo("client_credentials"))
                .willReturn(json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                        + "\"access_token\":\"" + ACCESS_TOKEN + "\"}")));
    }

    /** Servers_Get (examples/ServerGet.json) with the given state. */
    void stubServer(String state) {
        stubServer(SERVER_PATH, SERVER, state);
    }

    private void stubServer(String path, String server, String state) {
        wireMock.stubFor(arm(get(urlPathEqualTo(path))).willReturn(json(200, """
                {"sku":{"name":"Standard_D2ds_v4","tier":"GeneralPurpose"},
                 "properties":{"fullyQualifiedDomainName":"%1$s.postgres.database.azure.com","version":"16",
                  "minorVersion":"4","administratorLogin":"%2$s","state":"%3$s","availabilityZone":"1",
                  "storage":{"storageSizeGB":128},"authConfig":{"activeDirectoryAuth":"Disabled","passwordAuth":"Enabled"},
                  "backup":{"backupRetentionDays":7,"geoRedundantBackup":"Disabled"},
                  "network":{"publicNetworkAccess":"Enabled"},"highAvailability":{"mode":"Disabled","state":"NotEnabled"},
                  "maintenanceWindow":{"customWindow":"Disabled","dayOfWeek":0,"startHour":0,"startMinute":0}},
                 "location":"westeurope","tags":{},"id":"%4$s","name":"%1$s",
                 "type":"Microsoft.DBforPostgreSQL/flexibleServers"}""".formatted(server, ADMIN, state, path))));
    }

    /** Permissions_ListForResource: what the caller's role assignments grant on the server. */
    void stubPermissions(String actions, String notActions) {
        stubPermissions(SERVER_PATH, actions, notActions);
    }

    private void stubPermissions(String serverPath, String actions, String notActions) {
        wireMock.stubFor(arm(get(urlPathEqualTo(serverPath + "/providers/Microsoft.Authorization/permissions"))).willReturn(json(200,
                "{\"value\":[{\"actions\":" + actions + ",\"notActions\":" + notActions
                        + ",\"dataActions\":[],\"notDataActions\":[]}]}")));
    }

    /** Servers_Update answering 202 with both monitor headers (examples/ServerUpdate.json). */
    void stubAccepted(String retryAfter) {
        stubAccepted(SERVER_PATH, retryAfter);
    }

    private void stubAccepted(String serverPath, String retryAfter) {
        wireMock.stubFor(arm(patch(urlPathEqualTo(serverPath))).willReturn(aResponse().withStatus(202)
                .withHeader("Azure-AsyncOperation", url() + OPERATION_PATH + "?api-version=2022-12-01")
                .withHeader("Location", url() + RESULT_PATH + "?api-version=2022-12-01")
                .withHeader("Retry-After", retryAfter)
                .withHeader("x-ms-request-id", OPERATION_ID).withHeader("Content-Length", "0")
                .withTransformers(PasswordTransformer.NAME).withTransformerParameter("action", "remember")));
    }

    /**
     * The operation answers InProgress (with the Retry-After) once, then {@code status} with {@code error} (a JSON object or
     * null); Succeeded applies the PATCHed password to the embedded server.
     */
    void operationEnds(String status, String error) {
        wireMock.stubFor(arm(get(urlPathEqualTo(OPERATION_PATH))).inScenario("operation")
                .whenScenarioStateIs(STARTED).willSetStateTo("ended")
                .willReturn(json(200, "{\"name\":\"" + OPERATION_ID + "\",\"status\":\"InProgress\","
                        + "\"startTime\":\"2026-11-30T18:00:00.12Z\"}").withHeader("Retry-After", retryAfter)));
        var ended = json(200, "{\"name\":\"" + OPERATION_ID + "\",\"status\":\"" + status + "\","
                + "\"startTime\":\"2026-11-30T18:00:00.12Z\",\"endTime\":\"2026-11-30T18:00:41.5Z\""
                + (error == null ? "" : ",\"error\":" + error) + "}");
        if ("Succeeded".equals(status)) {
            ended = ended.withTransformers(PasswordTransformer.NAME).withTransformerParameter("action", "apply");
        }
        wireMock.stubFor(arm(get(urlPathEqualTo(OPERATION_PATH))).inScenario("operation")
                .whenScenarioStateIs("ended").willReturn(ended));
    }

    /** Every ARM request carries the token Entra issued for the client secret, and names api-version. */
    private static com.github.tomakehurst.wiremock.client.MappingBuilder arm(
            com.github.tomakehurst.wiremock.client.MappingBuilder builder) {
        return builder.withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .withQueryParam("api-version", com.github.tomakehurst.wiremock.client.WireMock.matching(".+"));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(body);
    }

    @Override
    public void close() {
        wireMock.stop();
    }

    /** Remembers the password a PATCH carried; the operation's Succeeded makes the role take it. */
    private final class PasswordTransformer implements ResponseDefinitionTransformerV2 {
        static final String NAME = "flexible-server-password";

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String action = event.getResponseDefinition().getTransformerParameters().getString("action");
            if ("remember".equals(action)) {
                try {
                    JsonNode body = JSON.readTree(event.getRequest().getBodyAsString());
                    pendingPassword.set(body.path("properties").path("administratorLoginPassword").asText(null));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if ("apply".equals(action)) {
                String password = pendingPassword.getAndSet(null);
                if (password != null) {
                    postgres.sql("ALTER ROLE " + ADMIN + " PASSWORD '" + password.replace("'", "''") + "'");
                }
            }
            return event.getResponseDefinition();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
