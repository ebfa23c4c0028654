package dev.rotor.mindwell;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;

import dev.rotor.azure.AzureDouble;
import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.github.FakeTime;
import dev.rotor.github.GithubDouble;
import dev.rotor.store.awssecretsmanager.SecretsManagerDouble;
import dev.rotor.store.azurekeyvault.KeyVaultDouble;
import dev.rotor.store.azurepostgres.ArmDouble;
import dev.rotor.store.onepassword.ConnectDouble;
import dev.rotor.store.postgres.EmbeddedServer;
import dev.rotor.testing.RotorRunner;
import dev.rotor.testing.TestCertificate;

/**
 * The MindWell runbook (examples/manifests/mindwell.yml) end to end through the CLI, dev, then staging, then prod,
 * against every double in one run: ARM for the flexible server (whose PATCH really changes the embedded PostgreSQL's
 * administrator), 1Password Connect, Key Vault (real host names through an HTTPS_PROXY tunnel), App Service and Blob
 * Storage (the journal), GitHub, Secrets Manager, the runner's env file and the app's health endpoint. Then a crash
 * right after the server took a new password, the re-run that finishes with it, and a rollback.
 * <p>
 * The example is copied with only what points at services moved to the doubles (URLs, hosts, ports, CA bundles; the
 * migration command stands in for {@code alembic upgrade head}). One Entra ID serves every Azure type: it issues
 * each double's own token for that double's audience, as the real one issues a token per resource.
 */
class MindWellEndToEndTest {
    private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");
    private static final String SUBSCRIPTION = "11111111-2222-4333-8444-555555555555";
    private static final String REPOSITORY = "/repos/mindwell/mindwell";
    private static final String CLIENT_ID = "3c9d2b71-5e0a-4f4e-8d6b-7a1c0e9f2d55";
    private static final String CLIENT_SECRET = "mindwell-entra-client-secret-never-printed";
    private static final String JOURNAL = "mindwell/.rotor/journal/postgres-admin-password.%s.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private EmbeddedServer postgres;
    private ArmDouble arm;
    private AzureDouble azure;
    private KeyVaultDouble keyVault;
    private ConnectDouble connect;
    private String onePasswordVault;
    private GithubDouble github;
    private SecretsManagerDouble aws;
    private HttpServer app;
    private final List<String> healthChecks = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> env = new HashMap<>();
    private Path manifest;

    @BeforeEach
    void start() throws Exception {
        postgres = EmbeddedServer.get();
        postgres.role(ArmDouble.ADMIN, initial("dev"));
        arm = new ArmDouble(postgres, 0);
        azure = new AzureDouble();
        azure.container("rotor-state");
        keyVault = new KeyVaultDouble();
        connect = new ConnectDouble();
        onePasswordVault = connect.vault("MindWell");
        github = new GithubDouble(new FakeTime());
        aws = new SecretsManagerDouble();
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            healthChecks.add(exchange.getRequestURI().getPath());
            byte[] body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().endsWith("/api/healthz") ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        for (String environment : ENVIRONMENTS) {
            arm.addServer(SUBSCRIPTION, "rg-mindwell-" + environment, server(environment));
            azure.app("rg-mindwell-" + environment, "mindwell-" + environment + "-api", null, neighbours(environment),
                    List.of("WEBSITES_PORT"));
            seedOnePassword(environment);
            Path envFile = envFile(environment);
            Files.createDirectories(envFile.getParent());
            Files.writeString(envFile, "# MindWell runner (" + environment + ")\nAPP_ENV=" + environment
                    + "\nDATABASE_URL=" + url(initial(environment), environment) + "\n");
        }
        oneEntraIdForEveryAzureType();
        manifest = pointAtTheDoubles(Path.of("examples/manifests/mindwell.yml"));

        env.putAll(SecretsManagerDouble.credentials());
        env.put("HTTPS_PROXY", keyVault.env().get("HTTPS_PROXY"));
        env.put("NO_PROXY", "127.0.0.1,localhost");
        env.put("AZURE_AUTHORITY_HOST", azure.url());
        env.put("AZURE_TENANT_ID", ArmDouble.TENANT);
        env.put("AZURE_CLIENT_ID", CLIENT_ID);
        env.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
        // should the chain ever reach managed identity, it asks a loopback double, never the instance metadata address
        env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", azure.url());
        env.put("OP_CONNECT_TOKEN", ConnectDouble.TOKEN);
        env.put("ROTOR_GITHUB_TOKEN", "ghp_mindwell_test_token_not_real");
        env.put("HOME", dir.resolve("home").toString());
        env.put("GITHUB_ACTIONS", "true");
    }

    @AfterEach
    void stop() throws IOException {
        app.stop(0);
        aws.close();
        github.close();
        connect.close();
        keyVault.close();
        azure.close();
        arm.close();
    }

    @Test
    void devStagingAndProdRotateEverywhereThenACrashAfterTheServerResumesWithItsValueAndARollbackRestores()
            throws Exception {
        RotorRunner.Result plan = run(StepHook.NONE, "plan", "-e", "dev");
        assertEquals(0, plan.exit(), plan.all());
        assertEquals(List.of(
                "postgres-admin-password (dev): generate -> owner pgserver -> 9 targets, 2 checks; journal "
                        + "state:.rotor/journal/postgres-admin-password.dev.json",
                "  would write onepassword:password {category=DATABASE, item=MindWell dev Postgres Admin}",
                "  would write keyvault:postgres-admin-password",
                "  would write keyvault:database-url {content-type=text/plain} (derived)",
                "  would write web:DATABASE_URL {restart=true} (derived)",
                "  would write github:DEV_DATABASE_URL (derived)",
                "  would write github:DEV_POSTGRES_ADMIN_PASSWORD",
                "  would write github:DATABASE_URL {environment=dev} (derived)",
                "  would write runner-env:DATABASE_URL (derived)",
                "  would write aws:mindwell/dev/postgres/admin-password",
                "  owner pgserver: single credential: once pgflex-mindwell-dev accepts the new password, new "
                        + "connections with the old one are refused until every target holds the new one",
                "summary: planned 1"), plan.out().lines().toList(), plan.all());
        arm.wireMock().verify(0, patchRequestedFor(urlPathEqualTo(serverPath("dev"))));

        Map<String, String> rotated = new LinkedHashMap<>();
        for (String environment : ENVIRONMENTS) {
            if (!environment.equals("dev")) {
                // one PostgreSQL stands for the three servers: its administrator starts from this server's password
                postgres.role(ArmDouble.ADMIN, initial(environment));
            }
            RotorRunner.Result result = run(StepHook.NONE, "rotate", "-e", environment, "--run-id", environment + "-1");
            assertEquals(0, result.exit(), environment + ": " + result.all());
            JsonNode journal = journal(environment);
            String value = journal.path("current").asText();
            assertTrue(value.matches("[A-Za-z0-9+/]{32}"), "24 random bytes in base64");
            assertEquals(initial(environment), journal.path("previous").asText(), "1Password's password was adopted");
            assertHeldEverywhere(environment, value);
            assertEquals(1, azure.requests("POST", AzureDouble.sitePath("rg-mindwell-" + environment,
                    "mindwell-" + environment + "-api", null) + "/restart").size(), environment + ": one restart");
            assertTrue(healthChecks.contains("/mindwell-" + environment + "-api/api/healthz"), healthChecks.toString());
            assertTrue(result.err().contains("  verified: command sh -c "), "the migration check ran: " + result.err());
            assertFalse(postgres.loginWorks(ArmDouble.ADMIN, initial(environment)), "the old password stopped working");
            assertNoValueOutsideMasks(result, value, initial(environment));
            rotated.put(environment, value);
        }
        assertEquals(3, rotated.values().stream().distinct().count(), "each environment its own password");
        assertEquals(List.of("kv-mindwell-dev.vault.azure.net:443", "kv-mindwell-prod.vault.azure.net:443",
                "kv-mindwell-staging.vault.azure.net:443"), keyVault.connectedHosts().stream().distinct().sorted().toList(),
                "each environment's vault by its real name, nothing else through the proxy");

        StepHook crashAfterTheServer = (unit, step) -> {
            if (step == Step.OWNER) {
                throw new RotorRunner.Crash("the server update");
            }
        };
        assertThrows(RotorRunner.Crash.class, () -> run(crashAfterTheServer, "rotate", "-e", "dev", "--run-id", "dev-2"));
        String pending = journal("dev").path("pending").asText();
        assertNotEquals(rotated.get("dev"), pending);
        assertTrue(postgres.loginWorks(ArmDouble.ADMIN, pending), "the server took the new password before the crash");
        assertEquals(rotated.get("dev"), onePassword("dev"), "nothing else was written yet");
        arm.wireMock().verify(2, patchRequestedFor(urlPathEqualTo(serverPath("dev"))));

        RotorRunner.Result resumed = run(StepHook.NONE, "rotate", "-e", "dev", "--run-id", "dev-2");
        assertEquals(0, resumed.exit(), resumed.all());
        assertEquals(pending, journal("dev").path("current").asText(), "finished with the journaled value");
        assertEquals(rotated.get("dev"), journal("dev").path("previous").asText());
        assertHeldEverywhere("dev", pending);
        arm.wireMock().verify(2, patchRequestedFor(urlPathEqualTo(serverPath("dev")))); // the server had it: no PATCH again
        assertEquals(2, azure.requests("POST", AzureDouble.sitePath("rg-mindwell-dev", "mindwell-dev-api", null)
                + "/restart").size(), "one restart for the resumed rotation");
        assertNoValueOutsideMasks(resumed, pending, rotated.get("dev"));

        RotorRunner.Result rollback = run(StepHook.NONE, "rollback", "--secret", "postgres-admin-password", "-e", "dev");
        assertEquals(0, rollback.exit(), rollback.all());
        assertHeldEverywhere("dev", rotated.get("dev"));
        assertFalse(postgres.loginWorks(ArmDouble.ADMIN, pending), "the server is back on the previous password");
        arm.wireMock().verify(3, patchRequestedFor(urlPathEqualTo(serverPath("dev"))));
        assertEquals(rotated.get("dev"), journal("dev").path("current").asText());
        assertEquals(pending, journal("dev").path("previous").asText(), "the rolled-back value is kept as previous");
        assertEquals(3, azure.requests("POST", AzureDouble.sitePath("rg-mindwell-dev", "mindwell-dev-api", null)
                + "/restart").size(), "one restart for the rollback");
        assertNoValueOutsideMasks(rollback, pending, rotated.get("dev"));
    }

    /** Everything the runbook updates for one environment holds {@code value}, and the server takes it. */
    private void assertHeldEverywhere(String environment, String value) throws IOException {
        String url = url(value, environment);
        assertTrue(postgres.loginWorks(ArmDouble.ADMIN, value), environment + ": the administrator logs in with it");
        assertEquals(value, onePassword(environment), environment + ": 1Password");
        // one Key Vault double answers for kv-mindwell-dev, -staging and -prod alike: read right after the environment
        assertEquals(value, keyVault.latest("postgres-admin-password").orElseThrow().value(), environment + ": Key Vault");
        assertEquals(url, keyVault.latest("database-url").orElseThrow().value(), environment + ": Key Vault database-url");
        Map<String, String> settings = new HashMap<>(azure.settings("rg-mindwell-" + environment,
                "mindwell-" + environment + "-api", null));
        assertEquals(url, settings.remove("DATABASE_URL"), environment + ": App Service");
        Map<String, String> others = new HashMap<>(neighbours(environment));
        others.remove("DATABASE_URL");
        assertEquals(others, settings, environment + ": every other setting kept");
        String upper = environment.toUpperCase();
        assertEquals(url, github.value(REPOSITORY + "/actions/secrets", upper + "_DATABASE_URL").orElseThrow());
        assertEquals(value, github.value(REPOSITORY + "/actions/secrets", upper + "_POSTGRES_ADMIN_PASSWORD").orElseThrow());
        assertEquals(url, github.value(REPOSITORY + "/environments/" + environment + "/secrets", "DATABASE_URL")
                .orElseThrow());
        assertEquals(List.of("# MindWell runner (" + environment + ")", "APP_ENV=" + environment, "DATABASE_URL=" + url),
                Files.readAllLines(envFile(environment)), environment + ": the runner's env file");
        assertEquals(value, aws.current("mindwell/" + environment + "/postgres/admin-password").orElseThrow(),
                environment + ": Secrets Manager");
    }

    private void assertNoValueOutsideMasks(RotorRunner.Result result, String... values) {
        String unmasked = String.join("\n", result.all().lines().filter(l -> !l.startsWith("::add-mask::")).toList());
        for (String value : values) {
            assertFalse(unmasked.contains(value), "no value outside the mask announcements");
            assertFalse(unmasked.contains(URLEncoder.encode(value, StandardCharsets.UTF_8)), "nor its URL form");
        }
        for (String credential : List.of(CLIENT_SECRET, ArmDouble.ACCESS_TOKEN, KeyVaultDouble.ACCESS_TOKEN,
                AzureDouble.TOKEN, ConnectDouble.TOKEN, SecretsManagerDouble.SECRET_KEY)) {
            assertFalse(result.all().contains(credential), "no credential in any output");
        }
    }

    private RotorRunner.Result run(StepHook hook, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-m", manifest.toString()));
        return RotorRunner.run(env, Clock.systemUTC(), hook, all.toArray(String[]::new));
    }

    /**
     * Microsoft Entra ID for the whole run, on the App Service double's host: the client-credentials grant answers
     * with the token of the double that serves the scope asked for (Key Vault, the flexible server's ARM, App Service's
     * ARM and Blob Storage), in the tenant Key Vault's challenge names.
     */
    private void oneEntraIdForEveryAzureType() {
        String token = "/" + ArmDouble.TENANT + "/oauth2/v2.0/token";
        Map<String, String> tokensByScope = new LinkedHashMap<>();
        tokensByScope.put("https://vault.azure.net/.default", KeyVaultDouble.ACCESS_TOKEN);
        tokensByScope.put(arm.url() + "/.default", ArmDouble.ACCESS_TOKEN);
        tokensByScope.put("", AzureDouble.TOKEN); // App Service's ARM and Blob Storage
        int priority = 1;
        for (Map.Entry<String, String> scope : tokensByScope.entrySet()) {
            azure.server().stubFor(post(urlPathEqualTo(token)).atPriority(priority++)
                    .withFormParam("grant_type", equalTo("client_credentials"))
                    .withFormParam("client_id", equalTo(CLIENT_ID))
                    .withFormParam("client_secret", equalTo(CLIENT_SECRET))
                    .withFormParam("scope", containing(scope.getKey()))
                    .willReturn(json("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                            + "\"access_token\":\"" + scope.getValue() + "\"}")));
        }
    }

    /** A copy of the example with its services moved to the doubles; every key it moves must be in the example. */
    private Path pointAtTheDoubles(Path example) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode root = (ObjectNode) yaml.readTree(example.toFile());
        ObjectNode stores = (ObjectNode) root.path("stores");
        String ca = combinedCaBundle().toString();
        move(stores, "pgserver", Map.of("management-url", arm.url(), "ca-bundle", ca, "host", "localhost",
                "port", String.valueOf(postgres.port()), "sslmode", "disable"));
        move(stores, "onepassword", Map.of("host", connect.url()));
        assertEquals("${vars.vault}", stores.path("keyvault").path("vault").asText(), "real vault names, through the tunnel");
        move(stores, "keyvault", Map.of("ca-bundle", ca));
        move(stores, "web", Map.of("management-url", azure.url(), "ca-bundle", ca));
        move(stores, "github", Map.of("api-url", github.url(), "write-interval", "1ms"));
        move(stores, "aws", Map.of("endpoint", aws.endpoint()));
        ObjectNode state = (ObjectNode) stores.path("state");
        assertEquals("mindwellrotor", state.remove("account").asText());
        move(stores, "state", Map.of("url", azure.blobUrl(), "ca-bundle", ca));
        assertEquals("${env:HOME}/.config/mindwell/${env}.env", stores.path("runner-env").path("path").asText());

        ArrayNode verify = (ArrayNode) root.path("secrets").path("postgres-admin-password").path("verify");
        ObjectNode migrate = (ObjectNode) verify.get(0);
        assertEquals("alembic.ini", migrate.path("env").path("ALEMBIC_CONFIG").asText());
        assertEquals("services/backend", migrate.remove("workdir").asText());
        // stands for `alembic upgrade head`: it gets the environment's URL with the new password
        migrate.set("command", JSON.createArrayNode().add("sh").add("-c").add(
                "case \"$DATABASE_URL\" in postgresql+asyncpg://mindwelladmin:?*@pgflex-mindwell-*.postgres.database"
                        + ".azure.com:5432/mindwell_app?sslmode=require) exit 0;; *) exit 1;; esac"));
        ObjectNode health = (ObjectNode) verify.get(1);
        String real = "https://${vars.app}.azurewebsites.net/api/healthz";
        assertEquals(real, health.path("http").asText());
        health.put("http", "http://127.0.0.1:" + app.getAddress().getPort() + "/${vars.app}/api/healthz");

        Path copy = dir.resolve("mindwell.yml");
        yaml.writeValue(copy.toFile(), root);
        return copy;
    }

    private static void move(ObjectNode stores, String store, Map<String, String> settings) {
        assertTrue(stores.has(store), "the example has store " + store);
        settings.forEach(((ObjectNode) stores.get(store))::put);
    }

    /** Each double signs its TLS with its own certificate; every Azure store trusts all of them (Entra ID is one). */
    private Path combinedCaBundle() throws IOException {
        Path bundle = dir.resolve("ca-bundle.pem");
        Files.writeString(bundle, Files.readString(AzureDouble.caBundle()) + "\n"
                + Files.readString(KeyVaultDouble.caBundle()) + "\n" + Files.readString(TestCertificate.get().pem()));
        return bundle;
    }

    private void seedOnePassword(String environment) throws IOException {
        connect.item(onePasswordVault, ((ObjectNode) JSON.readTree("""
                {"category": "DATABASE",
                 "fields": [
                   {"id": "username", "type": "STRING", "label": "username", "value": "mindwelladmin"},
                   {"id": "password", "type": "CONCEALED", "purpose": "PASSWORD", "label": "password", "value": "%s"}]}
                """.formatted(initial(environment)))).put("title", "MindWell " + environment + " Postgres Admin"));
    }

    private String onePassword(String environment) {
        return connect.value(onePasswordVault, "MindWell " + environment + " Postgres Admin", "password").orElseThrow();
    }

    private JsonNode journal(String environment) throws IOException {
        return JSON.readTree(azure.blob("rotor-state", JOURNAL.formatted(environment)).orElseThrow().content());
    }

    private Path envFile(String environment) {
        return dir.resolve("home/.config/mindwell/" + environment + ".env");
    }

    private static Map<String, String> neighbours(String environment) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("WEBSITES_PORT", "8000");
        settings.put("APP_ENV", environment);
        settings.put("SCM_DO_BUILD_DURING_DEPLOYMENT", "true");
        settings.put("DATABASE_URL", url(initial(environment), environment));
        return settings;
    }

    private static String initial(String environment) {
        return "Initial-" + environment + "-Admin-Password-0";
    }

    private static String server(String environment) {
        return "pgflex-mindwell-" + environment;
    }

    private static String serverPath(String environment) {
        return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-mindwell-" + environment
                + "/providers/Microsoft.DBforPostgreSQL/flexibleServers/" + server(environment);
    }

    /** The runbook's DATABASE_URL, with the password URL-encoded (a base64 value may hold '+', '/' and '='). */
    private static String url(String password, String environment) {
        return "postgresql+asyncpg://mindwelladmin:" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                .replace("+", "%20") + "@" + server(environment) + ".postgres.database.azure.com:5432/mindwell_app"
                + "?sslmode=require";
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }
}
