package dev.rotor.store.azurekeyvault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.rotor.testing.ConnectTunnel;
import dev.rotor.testing.Keytool;

/**
 * Azure Key Vault and Entra ID over HTTPS in one WireMock, reached through {@link ConnectTunnel} as HTTPS_PROXY, so
 * the SDK talks to the real host names ({@code NAME.vault.azure.net}, {@code login.microsoftonline.com}) with a
 * certificate the store trusts through {@code ca-bundle}. Shapes follow the SDK's recorded sessions
 * (Azure/azure-sdk-for-java sdk/keyvault/azure-security-keyvault-secrets/src/test/resources/session-records:
 * setSecret, getSecret, getSecretNotFound, getDeletedSecret) and the REST reference (api-version 7.5): a request
 * without a bearer token gets the 401 challenge; PUT /secrets/{name} makes a version; GET /secrets/{name}/{version}
 * (empty version: the latest); DELETE /secrets/{name} soft-deletes; GET /deletedsecrets/{name}; 404 SecretNotFound;
 * 409 for a soft-deleted name; 403 in Key Vault's RBAC shape. Entra ID: MSAL's instance discovery and the v2.0 token endpoint (client credentials).
 */
public final class KeyVaultDouble implements AutoCloseable {
    public static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public static final String CLIENT_ID = "0f4e7c6a-3b1d-4c55-9a2e-6d1f0b8e2a10";
    public static final String CLIENT_SECRET = "entra-client-secret-never-printed";
    public static final String ACCESS_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.rotor-test-access-token.c2lnbmF0dXJl";
    static final String CALLER_OID = "5b9a7c21-8e0f-4d3a-b6c1-2f7e9d4a0c88";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TLS = tls();

    /** One version of a secret as Key Vault keeps it. */
    public record Version(String id, String value, String contentType, Map<String, String> tags, long created) {
    }

    private final WireMockServer server;
    private final ConnectTunnel tunnel;
    final String vaultName = "kv-rotor-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
    private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
    private final Deque<int[]> faults = new ArrayDeque<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    public KeyVaultDouble() throws IOException {
        server = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(TLS.resolve("server.p12").toString()).keystorePassword("changeit")
                .keyManagerPassword("changeit").keystoreType("PKCS12").extensions(new Vault()));
        server.start();
        tunnel = new ConnectTunnel(server.httpsPort());
        server.stubFor(any(urlPathMatching("/(deleted)?secrets/.*")).willReturn(aResponse().withTransformers("key-vault")));
        // MSAL's instance discovery for login.microsoftonline.com, as Entra ID answers it
        server.stubFor(get(urlPathEqualTo("/common/discovery/instance")).willReturn(json(200, """
                {"tenant_discovery_endpoint":"https://login.microsoftonline.com/%s/v2.0/.well-known/openid-configuration",\
                "api-version":"1.1","metadata":[{"preferred_network":"login.microsoftonline.com",\
                "preferred_cache":"login.windows.net","aliases":["login.microsoftonline.com","login.windows.net",\
                "login.microsoft.com","sts.windows.net"]}]}""".formatted(TENANT))));
        // the client-credentials grant of the v2.0 token endpoint (MSAL adds "openid profile offline_access" to the
        // scope and, as Key Vault asks for continuous access evaluation, a claims parameter): only this client with
        // this secret, for Key Vault
        server.stubFor(post(urlPathEqualTo("/" + TENANT + "/oauth2/v2.0/token")).atPriority(5).willReturn(json(401, """
                {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure \
                the secret being sent in the request is the client secret value, not the client secret ID.",\
                "error_codes":[7000215],"timestamp":"2026-11-30 10:00:00Z","trace_id":"%s","correlation_id":"%s"}"""
                .formatted(UUID.randomUUID(), UUID.randomUUID()))));
        server.stubFor(post(urlPathEqualTo("/" + TENANT + "/oauth2/v2.0/token")).atPriority(1)
                .withFormParam("grant_type", equalTo("client_credentials"))
                .withFormParam("client_id", equalTo(CLIENT_ID))
                .withFormParam("client_secret", equalTo(CLIENT_SECRET))
                .withFormParam("scope", containing("https://vault.azure.net/.default"))
                .willReturn(json(200, """
                        {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"%s"}"""
                        .formatted(ACCESS_TOKEN))));
    }

    /** The run's environment: the proxy to the double and a service principal EnvironmentCredential signs in with. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HTTPS_PROXY", tunnel.url());
        env.put("AZURE_TENANT_ID", TENANT);
        env.put("AZURE_CLIENT_ID", CLIENT_ID);
        env.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
        return env;
    }

    /** The PEM that signs the double's certificate (for the store's ca-bundle). */
    public static Path caBundle() {
        return TLS.resolve("ca.pem");
    }

    String vaultUrl() {
        return "https://" + vaultName + ".vault.azure.net";
    }

    public List<String> connectedHosts() {
        return tunnel.hosts();
    }

    public Optional<Version> latest(String name) {
        List<Version> versions = secrets.get(name);
        return versions == null || versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    int versions(String name) {
        return secrets.getOrDefault(name, List.of()).size();
    }

    void put(String name, String value, String contentType, Map<String, String> tags) {
        secrets.computeIfAbsent(name, n -> Collections.synchronizedList(new ArrayList<>()))
                .add(new Version(id(name), value, contentType, tags, Instant.now().getEpochSecond()));
    }

    /** Soft-deletes a secret: its name stays taken until it is recovered or purged. */
    void softDelete(String name) {
        deleted.add(name);
        secrets.remove(name);
    }

    /** Whether a deleted secret holds the name (soft-deleted, not recovered or purged). */
    boolean isSoftDeleted(String name) {
        return deleted.contains(name);
    }

    /** Answers 403 (no role assignment) to every request about this secret. */
    void forbid(String name) {
        forbidden.add(name);
    }

    /** The next {@code times} secret requests answer {@code status} (with {@code Retry-After} seconds, or none if < 0). */
    synchronized void fail(int status, int retryAfterSeconds, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new int[] {status, retryAfterSeconds});
        }
    }

    private synchronized int[] nextFault() {
        return faults.poll();
    }

    private String id(String name) {
        return vaultUrl() + "/secrets/" + name + "/" + UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public void close() throws IOException {
        tunnel.close();
        server.stop();
    }

    /** The vault's side: state in this double, answers in Key Vault's shapes. */
    private final class Vault implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "key-vault";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String path = request.getUrl().split("\\?", 2)[0];
            requests.add(request.getMethod() + " " + request.getUrl() + (request.containsHeader("Authorization") ? " (bearer)" : ""));
            if (!request.getUrl().contains("api-version=7.5")) {
                return error(400, "BadParameter", null, "The specified version of the API is not supported");
            }
            if (!("Bearer " + ACCESS_TOKEN).equals(request.getHeader("Authorization"))) {
                return respond(401, """
                        {"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer or PoP token."}}""",
                        new HttpHeader("WWW-Authenticate", "Bearer authorization=\"https://login.windows.net/" + TENANT
                                + "\", resource=\"https://vault.azure.net\""));
            }
            int[] fault = nextFault();
            if (fault != null) {
                HttpHeader[] retryAfter = fault[1] < 0 ? new HttpHeader[0]
                        : new HttpHeader[] {new HttpHeader("Retry-After", String.valueOf(fault[1]))};
                return error(fault[0], fault[0] == 429 ? "Throttled" : "ServiceUnavailable", null, fault[0] == 429
                        ? "Request was not processed because too many requests were received."
                        : "The service is temporarily unavailable.", retryAfter);
            }
            String[] parts = path.split("/");
            String name = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
            if (forbidden.contains(name)) {
                String action = switch (request.getMethod().getName()) {
                    case "PUT" -> "setSecret/action";
                    case "DELETE" -> "delete";
                    default -> "getSecret/action";
                };
                return error(403, "Forbidden", "ForbiddenByRbac", "Caller is not authorized to perform action on resource."
                        + "\r\nIf role assignments, deny assignments or role definitions were changed recently, please "
                        + "observe propagation time.\r\nCaller: appid=" + CLIENT_ID + ";oid=" + CALLER_OID + ";iss=https://"
                        + "sts.windows.net/" + TENANT + "/\r\nAction: 'Microsoft.KeyVault/vaults/secrets/" + action
                        + "'\r\nResource: '/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/resourcegroups/rg-mindwell"
                        + "/providers/microsoft.keyvault/vaults/" + vaultName + "/secrets/" + name + "'\r\nAssignment: "
                        + "(not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: " + vaultName
                        + ";location=westeurope\r\n");
            }
            if (parts[1].equals("deletedsecrets")) {
                return deleted.contains(name) ? ok(deletedBundle(name))
                        : error(404, "SecretNotFound", null, "Deleted Secret not found: " + name);
            }
            return switch (request.getMethod().getName()) {
                case "PUT" -> set(name, request);
                case "GET" -> get(name, parts.length > 3 ? parts[3] : "");
                case "DELETE" -> delete(name);
                default -> error(405, "MethodNotAllowed", null, "not served by this double");
            };
        }

        private ResponseDefinition set(String name, Request request) {
            if (deleted.contains(name)) {
                return error(409, "Conflict", "ObjectIsDeletedButRecoverable", "Secret " + name + " is currently in a "
                        + "deleted but recoverable state, and its name cannot be reused; in this state, the secret can "
                        + "only be recovered or purged.");
            }
            JsonNode body = read(request.getBodyAsString());
            Map<String, String> tags = new LinkedHashMap<>();
            body.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
            put(name, body.path("value").asText(), body.hasNonNull("contentType") ? body.get("contentType").asText() : null,
                    tags.isEmpty() ? null : tags);
            return ok(bundle(latest(name).orElseThrow()));
        }

        private ResponseDefinition get(String name, String version) {
            List<Version> versions = secrets.getOrDefault(name, List.of());
            Optional<Version> found = version.isEmpty() ? latest(name)
                    : versions.stream().filter(v -> v.id().endsWith("/" + version)).findFirst();
            return found.map(v -> ok(bundle(v))).orElseGet(() -> notFound(name, version));
        }

        private ResponseDefinition notFound(String name, String version) {
            return error(404, "SecretNotFound", null, "A secret with (name/id) " + name + (version.isEmpty() ? "" : "/"
                    + version) + " was not found in this key vault. If you recently deleted this secret you may be able "
                    + "to recover it using the correct recovery command. For help resolving this issue, please see "
                    + "https://go.microsoft.com/fwlink/?linkid=2125182");
        }

        /** DeleteSecret: the secret and its versions are soft-deleted; the answer is the DeletedSecretBundle, no value. */
        private ResponseDefinition delete(String name) {
            Optional<Version> latest = latest(name);
            if (latest.isEmpty()) {
                return notFound(name, "");
            }
            softDelete(name);
            ObjectNode bundle = deletedBundle(name);
            bundle.put("id", latest.get().id());
            if (latest.get().contentType() != null) {
                bundle.put("contentType", latest.get().contentType());
            }
            return ok(bundle);
        }

        private ObjectNode bundle(Version v) {
            ObjectNode node = JSON.createObjectNode().put("value", v.value());
            if (v.contentType() != null) {
                node.put("contentType", v.contentType());
            }
            node.put("id", v.id());
            ObjectNode attributes = node.putObject("attributes").put("enabled", true).put("created", v.created())
                    .put("updated", v.created()).put("recoveryLevel", "Recoverable+Purgeable");
            attributes.put("recoverableDays", 90);
            if (v.tags() != null) {
                ObjectNode tags = node.putObject("tags");
                v.tags().forEach(tags::put);
            }
            return node;
        }

        private ObjectNode deletedBundle(String name) {
            long now = Instant.now().getEpochSecond();
            ObjectNode node = JSON.createObjectNode().put("recoveryId", vaultUrl() + "/deletedsecrets/" + name)
                    .put("deletedDate", now).put("scheduledPurgeDate", now + 90 * 86400L).put("id", id(name));
            node.putObject("attributes").put("enabled", true).put("created", now).put("updated", now)
                    .put("recoveryLevel", "Recoverable+Purgeable").put("recoverableDays", 90);
            return node;
        }
    }

    private static ResponseDefinition ok(JsonNode body) {
        return respond(200, body.toString());
    }

    private static ResponseDefinition respond(int status, String body, HttpHeader... extra) {
        return aResponse().withStatus(status).withHeaders(headers(extra)).withBody(body).build();
    }

    private static ResponseDefinition error(int status, String code, String inner, String message, HttpHeader... extra) {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode e = error.putObject("error").put("code", code).put("message", message);
        if (inner != null) {
            e.putObject("innererror").put("code", inner);
        }
        return respond(status, error.toString(), extra);
    }

    private static HttpHeaders headers(HttpHeader... extra) {
        List<HttpHeader> all = new ArrayList<>(List.of(new HttpHeader("Content-Type", "application/json; charset=utf-8"),
                new HttpHeader("Cache-Control", "no-cache"), new HttpHeader("x-ms-keyvault-region", "westeurope"),
                new HttpHeader("x-ms-request-id", UUID.randomUUID().toString())));
        all.addAll(List.of(extra));
        return new HttpHeaders(all);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key pair and certificate for *.vault.azure.net and login.microsoftonline.com, made once per test JVM. */
    private static Path tls() {
        try {
            Path dir = Files.createTempDirectory("rotor-akv-tls");
            Path keystore = dir.resolve("server.p12");
            Keytool.run("-genkeypair", "-alias", "azure", "-keyalg", "EC", "-dname", "CN=vault.azure.net",
                    "-ext", "SAN=dns:*.vault.azure.net,dns:login.microsoftonline.com", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit");
            Keytool.run("-exportcert", "-rfc", "-alias", "azure", "-keystore", keystore.toString(), "-storepass",
                    "changeit", "-file", dir.resolve("ca.pem").toString());
            return dir;
        } catch (Exception e) {
            throw new IllegalStateException("could not make the test certificate", e);
        }
    }
}
