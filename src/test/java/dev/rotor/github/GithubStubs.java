package dev.rotor.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.github.GithubProvider;
import dev.rotor.store.github.GithubStore;

/** WireMock stubs shaped like GitHub's REST API, and a store pointed at them. */
final class GithubStubs {
    static final String SECONDARY_LIMIT_BODY = "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few "
            + "minutes before you try again. If you reach out to GitHub Support for help, please include the request ID "
            + "C0DE:1234:5678AB:9ABCDE:65A1B2C3.\",\"documentation_url\":\"https://docs.github.com/free-pro-team@latest/"
            + "rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits\",\"status\":\"403\"}";

    final WireMockExtension wm;
    final FakeTime time = new FakeTime();
    final List<String> progress = new ArrayList<>();
    final Map<String, Sodium.KeyPair> keys = new HashMap<>();

    GithubStubs(WireMockExtension wm) {
        this.wm = wm;
    }

    static ResponseDefinitionBuilder github(int status, String body) {
        ResponseDefinitionBuilder response = aResponse().withStatus(status)
                .withHeader("x-ratelimit-limit", "5000")
                .withHeader("x-ratelimit-remaining", "4990")
                .withHeader("x-ratelimit-reset", "1767229200")
                .withHeader("x-ratelimit-resource", "core")
                .withHeader("x-github-api-version-selected", "2022-11-28");
        if (body != null) {
            response.withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
        }
        return response;
    }

    static ResponseDefinitionBuilder notFound(String doc) {
        return github(404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest/" + doc
                + "\",\"status\":\"404\"}");
    }

    /** GET {base}/public-key with a fresh key pair per scope; returns it. */
    Sodium.KeyPair publicKey(String base) {
        Sodium.KeyPair pair = Sodium.KeyPair.generate();
        keys.put(base, pair);
        wm.stubFor(get(urlEqualTo(base + "/public-key")).willReturn(github(200,
                "{\"key_id\":\"" + keyId(base) + "\",\"key\":\"" + pair.publicKeyBase64() + "\"}")));
        return pair;
    }

    static String keyId(String base) {
        return String.valueOf(Math.abs((long) base.hashCode()) % 1_000_000_000_000_000L + 1_000_000_000_000_000L);
    }

    void putSecret(String base, String name, int status) {
        wm.stubFor(put(urlEqualTo(base + "/" + name)).willReturn(github(status, null)));
    }

    /** Every PUT to {base}/{name}, opened with that scope's private key by libsodium; checks the key id. */
    List<String> written(String base, String name) {
        List<String> values = new ArrayList<>();
        for (LoggedRequest request : wm.findAll(putRequestedFor(urlEqualTo(base + "/" + name)))) {
            JsonNode body = body(request);
            if (!keyId(base).equals(body.get("key_id").asText())) {
                throw new AssertionError("sealed for key " + body.get("key_id") + " instead of the key of " + base);
            }
            values.add(keys.get(base).open(body.get("encrypted_value").asText()));
        }
        return values;
    }

    static JsonNode body(LoggedRequest request) {
        try {
            return GithubApi.JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError("PUT body is not JSON");
        }
    }

    GithubStore open(Map<String, Object> settings) {
        return open(settings, Map.of());
    }

    GithubStore open(Map<String, Object> settings, Map<String, String> environment) {
        Map<String, Object> all = new HashMap<>(settings);
        if (!environment.containsKey("GITHUB_API_URL")) {
            all.putIfAbsent("api-url", wm.baseUrl());
        }
        if (!all.containsKey("app-id")) {
            all.putIfAbsent("token", "ghp_test");
        }
        return new GithubProvider(time).openStore("gh", all,
                new ProviderContext(environment, Path.of("."), Clock.systemUTC(), progress::add));
    }

    static Address address(String name, Object... scope) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < scope.length; i += 2) {
            map.put((String) scope[i], scope[i + 1]);
        }
        return new Address(name, map);
    }

    /** A GitHub App's private key, as GitHub issues it (PKCS#1 PEM) and as PKCS#8 PEM. */
    static String[] appKeyPems() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        byte[] pkcs1 = PrivateKeyInfo.getInstance(pkcs8).parsePrivateKey().toASN1Primitive().getEncoded();
        return new String[] {pem("RSA PRIVATE KEY", pkcs1), pem("PRIVATE KEY", pkcs8)};
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** A resend's progress {@code line} is {@code start} and a jittered wait of {@code low} to {@code high} seconds ("1.3 s"). */
    static void assertWait(String start, double low, double high, String line) {
        assertTrue(line.startsWith(start) && line.matches(".* \\d+\\.\\d s"), line);
        double seconds = Double.parseDouble(line.substring(start.length(), line.length() - 2));
        assertTrue(seconds >= low && seconds <= high, line);
    }

    int requests() {
        return wm.getAllServeEvents().size();
    }
}
