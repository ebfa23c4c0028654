package dev.rotor.azure;

import dev.rotor.testing.TestCertificate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Azure over HTTPS on loopback, shaped like the real services: Microsoft Entra ID's token endpoint (what
 * azure-identity's client-secret credential posts to under {@code AZURE_AUTHORITY_HOST}), Azure Resource Manager's
 * App Service API ({@code config/appsettings/list}, the settings PUT that replaces them all, {@code slotConfigNames},
 * {@code restart}, the site with {@code state} and {@code defaultHostName}, ARM error bodies) and Blob Storage (Put
 * Blob of a {@code BlockBlob} with ETags, {@code If-Match} / {@code If-None-Match: *} answered 412 ConditionNotMet /
 * 409 BlobAlreadyExists, Get and Head Blob with Last-Modified, XML errors with {@code x-ms-error-code}). The site's
 * host name points back here, where {@code GET /} stands for the app itself.
 */
public final class AzureDouble implements AutoCloseable {
    public static final String TENANT = "6d2c0b0a-0000-4000-8000-00000000aaaa";
    public static final String CLIENT_ID = "c1d2e3f4-0000-4000-8000-00000000bbbb";
    public static final String CLIENT_SECRET = "entra-client-secret-do-not-print-0001";
    public static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.arm-access-token-0002";
    public static final String SUBSCRIPTION = "11111111-2222-4333-8444-555555555555";
    public static final String ACCOUNT = "devaccount";
    public static final String API_VERSION = "2023-12-01";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SITE = Pattern.compile(
            "(/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/Microsoft\\.Web/sites/([^/]+)(?:/slots/([^/]+))?)(/.*)?");
    private static final Pattern BLOB = Pattern.compile("/" + ACCOUNT + "/([^/]+)/(.+)");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static volatile Path keystore;

    /** A blob as held: its bytes, ETag (quoted, as Azure sends it) and Last-Modified. */
    public record Blob(String content, String etag, Instant modified) {
    }

    private final WireMockServer server;
    private final Map<String, Map<String, String>> appSettings = new ConcurrentHashMap<>();
    private final Map<String, List<String>> stickyNames = new ConcurrentHashMap<>();
    private final Map<String, Blob> blobs = new ConcurrentHashMap<>();
    private final Set<String> containers = ConcurrentHashMap.newKeySet();
    private final AtomicLong etags = new AtomicLong(0x8DC4A1B2C3D4E00L);
    private volatile String siteState = "Running";
    private volatile CountDownLatch journalCreates;

    public AzureDouble() {
        TestCertificate certificate = TestCertificate.get();
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicHttpsPort().httpDisabled(true)
                .keystorePath(certificate.keyStore().toString()).keystorePassword(TestCertificate.PASSWORD)
                .keyManagerPassword(TestCertificate.PASSWORD)
                .keystoreType("PKCS12").extensions(new Arm(), new Storage()));
        server.start();
        server.stubFor(post(urlPathEqualTo("/" + TENANT + "/oauth2/v2.0/token")).willReturn(okJson(
                "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"" + TOKEN + "\"}")));
        server.stubFor(any(urlPathMatching("/subscriptions/.*")).atPriority(5)
                .willReturn(aResponse().withTransformers("arm")));
        server.stubFor(any(urlPathMatching("/" + ACCOUNT + "/.*")).atPriority(5)
                .willReturn(aResponse().withTransformers("storage")));
        appAnswers(200);
    }

    public WireMockServer server() {
        return server;
    }

    /** https://127.0.0.1:PORT: the management URL, the authority host, and the app's host. */
    public String url() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    /** The blob endpoint of the account (path style, as for an emulator or a private endpoint). */
    public String blobUrl() {
        return url() + "/" + ACCOUNT;
    }

    /** The PEM of the certificate the double serves, for a store's {@code ca-bundle}. */
    public static Path caBundle() {
        return TestCertificate.get().pem();
    }

    /** The variables azure-identity's EnvironmentCredential reads, pointed at this double's token endpoint. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AZURE_TENANT_ID", TENANT);
        env.put("AZURE_CLIENT_ID", CLIENT_ID);
        env.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
        env.put("AZURE_AUTHORITY_HOST", url());
        return env;
    }

    /** An app (or a slot of it) with these settings and slot-sticky setting names. */
    public void app(String resourceGroup, String app, String slot, Map<String, String> settings, List<String> sticky) {
        String site = sitePath(resourceGroup, app, slot);
        appSettings.put(site, new LinkedHashMap<>(settings));
        stickyNames.put(site, List.copyOf(sticky));
    }

    public static String sitePath(String resourceGroup, String app, String slot) {
        return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + resourceGroup + "/providers/Microsoft.Web/sites/"
                + app + (slot == null ? "" : "/slots/" + slot);
    }

    public Map<String, String> settings(String resourceGroup, String app, String slot) {
        return Map.copyOf(appSettings.get(sitePath(resourceGroup, app, slot)));
    }

    /** What the app's own host name answers (503: still starting, as App Service's front end says). */
    public void appAnswers(int status) {
        server.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(status)));
    }

    /** The site's {@code state} (Running, Stopped). */
    public void siteState(String state) {
        siteState = state;
    }

    public void container(String name) {
        containers.add(name);
    }

    public Optional<Blob> blob(String container, String name) {
        return Optional.ofNullable(blobs.get(container + "/" + name));
    }

    public void putBlob(String container, String name, String content) {
        blobs.put(container + "/" + name, new Blob(content, nextEtag(), Instant.now()));
    }

    /** Holds creations of journal blobs until {@code count} have arrived (or 10 s), so that they truly race. */
    public void raceJournalCreates(int count) {
        journalCreates = new CountDownLatch(count);
    }

    /** Requests whose method is {@code method} and whose decoded path (without query) matches {@code path}. */
    public List<LoggedRequest> requests(String method, String path) {
        List<LoggedRequest> out = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            LoggedRequest request = event.getRequest();
            String bare = request.getUrl().replaceFirst("\\?.*", "").replace("%2F", "/");
            if (request.getMethod().getName().equals(method) && bare.matches(path)) {
                out.add(0, request);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop();
    }

    private String nextEtag() {
        return "\"0x" + Long.toHexString(etags.incrementAndGet()).toUpperCase() + "\"";
    }

    private static boolean authorized(Request request) {
        return ("Bearer " + TOKEN).equals(request.getHeader("Authorization"));
    }

    /** A transformer that answers only the stubs naming it. */
    private abstract static class OnlyWhereNamed implements ResponseDefinitionTransformerV2 {
        private final String name;

        OnlyWhereNamed(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }
    }

    /** Azure Resource Manager's Microsoft.Web/sites answers. */
    private final class Arm extends OnlyWhereNamed {
        Arm() {
            super("arm");
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String path = request.getUrl().replaceFirst("\\?.*", "");
            if (!authorized(request)) {
                return armError(401, "InvalidAuthenticationToken", "The access token is invalid.");
            }
            if (!request.getUrl().contains("api-version=" + API_VERSION)) {
                return armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
            }
            Matcher m = SITE.matcher(path);
            if (!m.matches() || !appSettings.containsKey(m.group(1))) {
                String name = m.matches() ? m.group(3) : "?";
                return armError(404, "ResourceNotFound", "The Resource 'Microsoft.Web/sites/" + name + "' under resource group '"
                        + (m.matches() ? m.group(2) : "?") + "' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
            }
            String site = m.group(1);
            String slot = m.group(4);
            String rest = m.group(5) == null ? "" : m.group(5);
            String method = request.getMethod().getName();
            String configType = slot == null ? "Microsoft.Web/sites/config" : "Microsoft.Web/sites/slots/config";
            switch (method + " " + rest) {
                case "POST /config/appsettings/list":
                    return json(200, settingsResource(site, configType));
                case "PUT /config/appsettings":
                    try {
                        JsonNode body = JSON.readTree(request.getBodyAsString());
                        Map<String, String> replaced = new LinkedHashMap<>();
                        body.path("properties").fields().forEachRemaining(e -> replaced.put(e.getKey(), e.getValue().asText()));
                        appSettings.put(site, replaced);
                    } catch (IOException e) {
                        return armError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
                    }
                    return json(200, settingsResource(site, configType));
                case "GET /config/slotConfigNames": {
                    ObjectNode names = JSON.createObjectNode();
                    names.put("id", site + "/config/slotConfigNames").put("name", "slotConfigNames")
                            .put("type", "Microsoft.Web/sites/config").put("location", "West Europe");
                    ObjectNode properties = names.putObject("properties");
                    properties.putArray("connectionStringNames");
                    stickyNames.get(site).forEach(properties.putArray("appSettingNames")::add);
                    properties.putNull("azureStorageConfigNames");
                    return json(200, names);
                }
                case "POST /restart":
                    return aResponse().withStatus(200).build();
                case "GET ": {
                    ObjectNode resource = JSON.createObjectNode();
                    String name = m.group(3) + (slot == null ? "" : "/" + slot);
                    resource.put("id", site).put("name", name)
                            .put("type", slot == null ? "Microsoft.Web/sites" : "Microsoft.Web/sites/slots")
                            .put("kind", "app,linux").put("location", "West Europe");
                    ObjectNode properties = resource.putObject("properties");
                    properties.put("name", name).put("state", siteState).put("enabled", true)
                            .put("defaultHostName", "127.0.0.1:" + server.httpsPort());
                    properties.putArray("hostNames").add("127.0.0.1:" + server.httpsPort());
                    return json(200, resource);
                }
                default:
                    return armError(405, "MethodNotAllowed", "The requested resource does not support http method '" + method + "'.");
            }
        }

        private ObjectNode settingsResource(String site, String type) {
            ObjectNode resource = JSON.createObjectNode();
            resource.put("id", site + "/config/appsettings").put("name", "appsettings").put("type", type)
                    .put("location", "West Europe");
            ObjectNode properties = resource.putObject("properties");
            appSettings.get(site).forEach(properties::put);
            return resource;
        }

        private ResponseDefinition armError(int status, String code, String message) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("code", code).put("message", message);
            return json(status, error);
        }

        private ResponseDefinition json(int status, JsonNode body) {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                    .withHeader("x-ms-request-id", UUID.randomUUID().toString()).withBody(body.toString()).build();
        }
    }

    /** Blob Storage's Put Blob, Get Blob and Get Blob Properties. */
    private final class Storage extends OnlyWhereNamed {
        Storage() {
            super("storage");
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String method = request.getMethod().getName();
            boolean head = method.equals("HEAD");
            if (!authorized(request)) {
                return error(401, "InvalidAuthenticationInfo", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.", head);
            }
            if (request.getHeader("x-ms-version") == null) {
                return error(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.", head);
            }
            Matcher m = BLOB.matcher(request.getUrl().replaceFirst("\\?.*", ""));
            if (!m.matches()) {
                return error(400, "InvalidUri", "The requested URI does not represent any resource on the server.", head);
            }
            if (!containers.contains(m.group(1))) {
                return error(404, "ContainerNotFound", "The specified container does not exist.", head);
            }
            String key = m.group(1) + "/" + java.net.URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
            switch (method) {
                case "PUT":
                    return put(request, key);
                case "GET":
                case "HEAD": {
                    Blob blob = blobs.get(key);
                    if (blob == null) {
                        return error(404, "BlobNotFound", "The specified blob does not exist.", head);
                    }
                    ResponseDefinitionBuilder answer = common(aResponse().withStatus(200))
                            .withHeader("ETag", blob.etag()).withHeader("Last-Modified", HTTP_DATE.format(blob.modified()))
                            .withHeader("x-ms-creation-time", HTTP_DATE.format(blob.modified()))
                            .withHeader("x-ms-blob-type", "BlockBlob").withHeader("x-ms-lease-status", "unlocked")
                            .withHeader("x-ms-lease-state", "available").withHeader("x-ms-server-encrypted", "true")
                            .withHeader("Accept-Ranges", "bytes").withHeader("Content-Type", "application/octet-stream");
                    byte[] bytes = blob.content().getBytes(StandardCharsets.UTF_8);
                    answer.withHeader("Content-Length", Integer.toString(bytes.length));
                    return head ? answer.build() : answer.withBody(bytes).build();
                }
                default:
                    return error(405, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb.", head);
            }
        }

        private ResponseDefinition put(Request request, String key) {
            if (!"BlockBlob".equals(request.getHeader("x-ms-blob-type"))) {
                return error(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.", false);
            }
            String ifMatch = request.getHeader("If-Match");
            String ifNoneMatch = request.getHeader("If-None-Match");
            CountDownLatch race = journalCreates;
            if (race != null && "*".equals(ifNoneMatch) && key.contains("/.rotor/journal/")) {
                race.countDown();
                try {
                    race.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (blobs) {
                Blob current = blobs.get(key);
                if ("*".equals(ifNoneMatch) && current != null) {
                    return error(409, "BlobAlreadyExists", "The specified blob already exists.", false);
                }
                if (ifMatch != null && (current == null || !ifMatch.equals(current.etag()))) {
                    return error(current == null ? 404 : 412, current == null ? "BlobNotFound" : "ConditionNotMet",
                            current == null ? "The specified blob does not exist."
                                    : "The condition specified using HTTP conditional header(s) is not met.", false);
                }
                Blob written = new Blob(new String(request.getBody(), StandardCharsets.UTF_8), nextEtag(), Instant.now());
                blobs.put(key, written);
                return common(aResponse().withStatus(201)).withHeader("ETag", written.etag())
                        .withHeader("Last-Modified", HTTP_DATE.format(written.modified()))
                        .withHeader("x-ms-request-server-encrypted", "true").withHeader("Content-Length", "0").build();
            }
        }

        private ResponseDefinitionBuilder common(ResponseDefinitionBuilder builder) {
            return builder.withHeader("x-ms-request-id", UUID.randomUUID().toString())
                    .withHeader("x-ms-version", "2025-11-05").withHeader("Date", HTTP_DATE.format(Instant.now()));
        }

        private ResponseDefinition error(int status, String code, String message, boolean head) {
            ResponseDefinitionBuilder answer = common(aResponse().withStatus(status)).withHeader("x-ms-error-code", code);
            if (head) {
                return answer.build();
            }
            String requestId = UUID.randomUUID().toString();
            return answer.withHeader("Content-Type", "application/xml").withBody("\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                    + "<Error><Code>" + code + "</Code><Message>" + message + "\nRequestId:" + requestId + "\nTime:"
                    + Instant.now() + "</Message></Error>").build();
        }
    }
}
