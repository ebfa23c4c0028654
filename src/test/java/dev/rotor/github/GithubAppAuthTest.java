package dev.rotor.github;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.rotor.github.GithubStubs.address;
import static dev.rotor.github.GithubStubs.github;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import dev.rotor.store.StoreException;
import dev.rotor.store.github.GithubStore;

/** GitHub App: JWT → installation token per owner, refreshed before expiry, through the same request path. */
class GithubAppAuthTest {
    private static final String BASE = "/repos/acme/web/actions/secrets";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static String pkcs1Pem;
    private static String pkcs8Pem;

    private final GithubStubs gh = new GithubStubs(wm);

    @BeforeAll
    static void appKey() throws Exception {
        String[] pems = GithubStubs.appKeyPems();
        pkcs1Pem = pems[0];
        pkcs8Pem = pems[1];
    }

    private void installation(String token, String expiresAt, String state, String next) {
        var stub = post(urlEqualTo("/app/installations/42/access_tokens"));
        if (state != null) {
            stub = stub.inScenario("tokens").whenScenarioStateIs(state).willSetStateTo(next);
        }
        wm.stubFor(stub.willReturn(github(201, "{\"token\":\"" + token + "\",\"expires_at\":\"" + expiresAt
                + "\",\"permissions\":{\"secrets\":\"write\",\"metadata\":\"read\"},\"repository_selection\":\"selected\"}")));
    }

    @Test
    void appJwtIsExchangedForAnInstallationTokenThatIsRefreshedBeforeExpiry() throws Exception {
        wm.stubFor(get(urlEqualTo("/repos/acme/web/installation")).willReturn(github(200,
                "{\"id\":42,\"account\":{\"login\":\"acme\",\"type\":\"Organization\"},\"app_id\":12345,\"target_type\":\"Organization\"}")));
        installation("ghs_first", "2026-01-01T01:00:00Z", STARTED, "second");
        installation("ghs_second", "2026-01-01T02:00:00Z", "second", "second");
        gh.publicKey(BASE);
        gh.putSecret(BASE, "S", 201);
        GithubStore store = gh.open(Map.of("repository", "acme/web", "app-id", "12345", "private-key", pkcs1Pem));

        store.write(address("S"), "one");
        wm.verify(putRequestedFor(urlEqualTo(BASE + "/S")).withHeader("Authorization", equalTo("Bearer ghs_first")));
        wm.verify(1, getRequestedFor(urlEqualTo("/repos/acme/web/installation"))
                .withHeader("Authorization", matching("Bearer ey[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+")));
        var exchange = wm.findAll(postRequestedFor(urlEqualTo("/app/installations/42/access_tokens"))).get(0);
        String jwt = exchange.getHeader("Authorization").substring("Bearer ".length());
        JsonNode claims = GithubApi.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        assertEquals("12345", claims.get("iss").asText());

        gh.time.advance(Duration.ofMinutes(56)); // within five minutes of expiry
        store.write(address("S"), "two");
        wm.verify(putRequestedFor(urlEqualTo(BASE + "/S")).withHeader("Authorization", equalTo("Bearer ghs_second")));
        wm.verify(2, postRequestedFor(urlEqualTo("/app/installations/42/access_tokens")));
        wm.verify(1, getRequestedFor(urlEqualTo("/repos/acme/web/installation")));
        assertEquals(List.of("one", "two"), gh.written(BASE, "S"));
    }

    @Test
    void aRejectedInstallationTokenIsReplacedOnce() {
        installation("ghs_first", "2026-01-01T01:00:00Z", STARTED, "second");
        installation("ghs_second", "2026-01-01T02:00:00Z", "second", "second");
        gh.publicKey(BASE);
        wm.stubFor(put(urlEqualTo(BASE + "/S")).withHeader("Authorization", equalTo("Bearer ghs_first"))
                .willReturn(github(401, "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"401\"}")));
        wm.stubFor(put(urlEqualTo(BASE + "/S")).withHeader("Authorization", equalTo("Bearer ghs_second")).willReturn(github(201, null)));
        GithubStore store = gh.open(Map.of("repository", "acme/web", "app-id", "12345", "private-key", pkcs8Pem,
                "installation-id", "42"));
        store.write(address("S"), "v");
        wm.verify(2, postRequestedFor(urlEqualTo("/app/installations/42/access_tokens")));
        wm.verify(0, getRequestedFor(urlEqualTo("/repos/acme/web/installation")));
    }

    @Test
    void anAppNotInstalledOnTheOwnerSaysSo() {
        wm.stubFor(get(urlEqualTo("/repos/acme/web/installation")).willReturn(GithubStubs.notFound("apps/apps#get-a-repository-installation-for-the-authenticated-app")));
        GithubStore store = gh.open(Map.of("repository", "acme/web", "app-id", "12345", "private-key", pkcs1Pem));
        StoreException e = assertThrows(StoreException.class, () -> store.preflight(List.of(address("S"))));
        assertTrue(e.getMessage().contains("not installed on acme"), e.getMessage());
    }

    @Test
    void aKeyThatIsNotPemIsRefusedWithoutEchoingIt() {
        StoreException e = assertThrows(StoreException.class, () -> gh.open(Map.of("repository", "acme/web",
                "app-id", "12345", "private-key", "super-secret-not-a-key")));
        assertFalse(e.getMessage().contains("super-secret"));
    }
}
