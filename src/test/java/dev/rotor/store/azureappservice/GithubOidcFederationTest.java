package dev.rotor.store.azureappservice;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rotor.azure.AzureDouble;
import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a GitHub Actions job (a Docker action, no `az` login inside), every Azure type signs in by workload identity
 * federation: the job's OIDC token, asked for with Entra ID's audience, is the client assertion. No secret anywhere.
 */
class GithubOidcFederationTest {
    private static final String GITHUB_JWT = "eyJhbGciOiJSUzI1NiJ9.github-oidc-token-for-azure.sig-0003";
    private static final String REQUEST_TOKEN = "actions-id-token-request-token-0004";
    private AzureDouble azure;

    @BeforeEach
    void start() {
        azure = new AzureDouble();
        azure.server().stubFor(get(urlPathEqualTo("/_apis/token")).withQueryParam("audience",
                equalTo("api://AzureADTokenExchange")).withHeader("Authorization", equalTo("bearer " + REQUEST_TOKEN))
                .willReturn(okJson("{\"count\":1,\"value\":\"" + GITHUB_JWT + "\"}")));
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void theJobsOidcTokenIsTheClientAssertionAndNoSecretIsNeeded() {
        azure.app("rg-mindwell-dev", "mindwell-dev-api", null, Map.of("DATABASE_URL", "old"), List.of());
        Map<String, String> env = new HashMap<>(azure.env());
        env.remove("AZURE_CLIENT_SECRET");
        env.put("ACTIONS_ID_TOKEN_REQUEST_URL", azure.url() + "/_apis/token?api-version=2.0");
        env.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN);
        List<String> progress = new ArrayList<>();
        Store store = new AppServiceProvider(AppServiceStores.FAST).openStore("web", Map.of("subscription",
                AzureDouble.SUBSCRIPTION, "resource-group", "rg-mindwell-dev", "app", "mindwell-dev-api",
                "management-url", azure.url(), "ca-bundle", AzureDouble.caBundle().toString()),
                new ProviderContext(env, Path.of("."), Clock.systemUTC(), progress::add, new ProviderContext.Resends()));

        assertEquals(Optional.of("old"), store.read(Address.of("DATABASE_URL")).map(s -> s.value()));
        List<LoggedRequest> tokens = azure.requests("POST", "/" + AzureDouble.TENANT + "/oauth2/v2.0/token");
        assertEquals(1, tokens.size());
        String form = tokens.get(0).getBodyAsString();
        assertTrue(form.contains("client_assertion=" + GITHUB_JWT), "the GitHub token is the assertion");
        assertTrue(form.contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"),
                form.replace(GITHUB_JWT, "<jwt>"));
        assertTrue(form.contains("client_id=" + AzureDouble.CLIENT_ID));
        assertFalse(form.contains("client_secret"));
        assertTrue(progress.stream().noneMatch(line -> line.contains(GITHUB_JWT) || line.contains(REQUEST_TOKEN)));
    }
}
