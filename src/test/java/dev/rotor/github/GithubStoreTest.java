package dev.rotor.github;

import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.rotor.github.GithubStubs.address;
import static dev.rotor.github.GithubStubs.github;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import dev.rotor.store.Capability;
import dev.rotor.store.PartialWriteException;
import dev.rotor.store.Providers;
import dev.rotor.store.StoreException;
import dev.rotor.store.Written;
import dev.rotor.store.github.GithubProvider;
import dev.rotor.store.github.GithubStore;

class GithubStoreTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final GithubStubs gh = new GithubStubs(wm);

    @Test
    void providerIsRegisteredAndDeclaresWhatGithubSecretsCanDo() {
        GithubProvider provider = (GithubProvider) Providers.byType("github").orElseThrow();
        assertEquals(java.util.Set.of(Capability.UPDATED_AT, Capability.DELETE), provider.capabilities());
        assertFalse(provider.capabilities().contains(Capability.READABLE));
        assertNull(provider.checkTargetName("DATABASE_URL"));
        assertNull(provider.checkTargetName("_x1"));
        assertTrue(provider.checkTargetName("1ABC").contains("digit"));
        assertTrue(provider.checkTargetName("GITHUB_TOKEN").contains("GITHUB_"));
        assertTrue(provider.checkTargetName("github_x").contains("GITHUB_"));
        assertTrue(provider.checkTargetName("my-secret").contains("letters"));
        assertTrue(provider.targetKeys().containsAll(List.of("environment", "app", "visibility", "selected-repositories")));
    }

    @Test
    void repositorySecretCreatedThenUpdatedAndOpensWithTheScopesKey() {
        String base = "/repos/acme/web/actions/secrets";
        gh.publicKey(base);
        gh.putSecret(base, "DATABASE_URL", 201);
        GithubStore store = gh.open(Map.of("repository", "acme/web"));
        Written first = store.write(address("DATABASE_URL"), "postgresql://app:s3cret@db/app");
        assertTrue(first.changed());
        gh.putSecret(base, "DATABASE_URL", 204);
        store.write(address("DATABASE_URL"), "second value");
        assertEquals(List.of("postgresql://app:s3cret@db/app", "second value"), gh.written(base, "DATABASE_URL"));
        wm.verify(1, getRequestedFor(urlEqualTo(base + "/public-key")));
        wm.verify(2, putRequestedFor(urlEqualTo(base + "/DATABASE_URL"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer ghp_test"))
                .withHeader("X-GitHub-Api-Version", com.github.tomakehurst.wiremock.client.WireMock.equalTo("2022-11-28")));
        assertThrows(StoreException.class, () -> store.read(address("DATABASE_URL")));
    }

    @Test
    void environmentDependabotAndCodespacesSecretsUseTheirOwnKeys() {
        String env = "/repos/acme/web/environments/prod%20eu/secrets";
        String dependabot = "/repos/acme/web/dependabot/secrets";
        String codespaces = "/repos/acme/web/codespaces/secrets";
        for (String base : List.of(env, dependabot, codespaces)) {
            gh.publicKey(base);
            gh.putSecret(base, "TOKEN", 201);
        }
        GithubStore store = gh.open(Map.of("repository", "acme/web"));
        store.write(address("TOKEN", "environment", "prod eu"), "env value");
        store.write(address("TOKEN", "app", "dependabot"), "dependabot value");
        store.write(address("TOKEN", "app", "codespaces"), "codespaces value");
        assertEquals(List.of("env value"), gh.written(env, "TOKEN"));
        assertEquals(List.of("dependabot value"), gh.written(dependabot, "TOKEN"));
        assertEquals(List.of("codespaces value"), gh.written(codespaces, "TOKEN"));
        assertEquals(6, gh.requests());
    }

    @Test
    void organizationSecretsCarryVisibilityAndTheWholeSelectedList() {
        String actions = "/orgs/acme/actions/secrets";
        String dependabot = "/orgs/acme/dependabot/secrets";
        String codespaces = "/orgs/acme/codespaces/secrets";
        for (String base : List.of(actions, dependabot, codespaces)) {
            gh.publicKey(base);
            gh.putSecret(base, "NPM_TOKEN", 201);
        }
        wm.stubFor(get(urlEqualTo("/repos/acme/web")).willReturn(github(200,
                "{\"id\":1296269,\"node_id\":\"MDEwOlJlcG9zaXRvcnkxMjk2MjY5\",\"name\":\"web\",\"full_name\":\"acme/web\"}")));
        wm.stubFor(get(urlEqualTo("/repos/acme/api")).willReturn(github(200,
                "{\"id\":1296270,\"name\":\"api\",\"full_name\":\"acme/api\"}")));
        GithubStore store = gh.open(Map.of("organization", "acme"));
        store.write(address("NPM_TOKEN", "visibility", "selected", "selected-repositories", List.of("web", "acme/api")), "one");
        store.write(address("NPM_TOKEN", "visibility", "selected", "selected-repositories", List.of("web", "acme/api")), "two");
        store.write(address("NPM_TOKEN", "app", "dependabot", "visibility", "selected", "selected-repositories", List.of("web")), "dep");
        store.write(address("NPM_TOKEN", "app", "codespaces", "visibility", "private"), "cs");

        assertEquals(List.of("one", "two"), gh.written(actions, "NPM_TOKEN"));
        assertEquals(List.of("dep"), gh.written(dependabot, "NPM_TOKEN"));
        assertEquals(List.of("cs"), gh.written(codespaces, "NPM_TOKEN"));
        var actionsBodies = wm.findAll(putRequestedFor(urlEqualTo(actions + "/NPM_TOKEN")));
        for (var request : actionsBodies) {
            JsonNode body = GithubStubs.body(request);
            assertEquals("selected", body.get("visibility").asText());
            assertEquals("[1296269,1296270]", body.get("selected_repository_ids").toString(), "written every time");
        }
        JsonNode dependabotBody = GithubStubs.body(wm.findAll(putRequestedFor(urlEqualTo(dependabot + "/NPM_TOKEN"))).get(0));
        assertEquals("[\"1296269\"]", dependabotBody.get("selected_repository_ids").toString());
        JsonNode codespacesBody = GithubStubs.body(wm.findAll(putRequestedFor(urlEqualTo(codespaces + "/NPM_TOKEN"))).get(0));
        assertEquals("private", codespacesBody.get("visibility").asText());
        assertFalse(codespacesBody.has("selected_repository_ids"));
        // one id lookup per repository, one key per scope, one PUT per write
        wm.verify(1, getRequestedFor(urlEqualTo("/repos/acme/web")));
        wm.verify(1, getRequestedFor(urlEqualTo("/repos/acme/api")));
        assertEquals(2 + 3 + 4, gh.requests());
    }

    @Test
    void anOrganizationSecretNeverGuessesItsVisibility() {
        GithubStore store = gh.open(Map.of("organization", "acme"));
        StoreException e = assertThrows(StoreException.class, () -> store.write(address("X"), "v"));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("visibility"));
        e = assertThrows(StoreException.class, () -> store.preflight(List.of(address("X", "visibility", "selected"))));
        assertTrue(e.getMessage().contains("selected-repositories"));
        assertEquals(0, gh.requests());
    }

    @Test
    void fanOutMakesExactlyOneKeyRequestPerScopeAndOnePutPerDestination() {
        List<String> repositories = List.of("acme/a", "acme/b", "acme/c");
        List<String> bases = new ArrayList<>();
        for (String repository : repositories) {
            bases.add("/repos/" + repository + "/actions/secrets");
            bases.add("/repos/" + repository + "/environments/staging/secrets");
            bases.add("/repos/" + repository + "/environments/prod/secrets");
        }
        for (String base : bases) {
            gh.publicKey(base);
            gh.putSecret(base, "API_KEY", 201);
            gh.putSecret(base, "DB_URL", 201);
        }
        GithubStore store = gh.open(Map.of("repositories", repositories, "concurrency", 4));
        List<dev.rotor.store.Address> targets = List.of(address("API_KEY"), address("API_KEY", "environment", "staging"),
                address("API_KEY", "environment", "prod"), address("DB_URL"), address("DB_URL", "environment", "staging"),
                address("DB_URL", "environment", "prod"));
        store.preflight(targets);
        assertEquals(9, gh.requests(), "preflight fetches each scope's key once, writes nothing");
        for (var target : targets) {
            store.write(target, "value-of-" + target.name());
        }
        assertEquals(9 + 18, gh.requests(), "minimum: 9 keys + 18 PUTs");
        assertEquals(9 + 18, store.stats().requests());
        for (String base : bases) {
            assertEquals(List.of("value-of-API_KEY"), gh.written(base, "API_KEY"));
            assertEquals(List.of("value-of-DB_URL"), gh.written(base, "DB_URL"));
        }
        assertTrue(gh.progress.contains("github: 3/3 destinations written (API_KEY)"), gh.progress.toString());
    }

    @Test
    void unknownEnvironmentIsReportedAsSuch() {
        wm.stubFor(get(urlEqualTo("/repos/acme/web/environments/prod/secrets/public-key"))
                .willReturn(GithubStubs.notFound("actions/secrets#get-an-environment-public-key")));
        GithubStore store = gh.open(Map.of("repository", "acme/web"));
        StoreException e = assertThrows(StoreException.class,
                () -> store.preflight(List.of(address("X", "environment", "prod"))));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("environment 'prod' not found in acme/web"), e.getMessage());
        assertEquals(0, wm.findAll(putRequestedFor(urlPathMatching(".*"))).size());
    }

    @Test
    void forbiddenWriteNamesTheTokenKindsAndPermissionsThatWork() {
        String base = "/repos/acme/web/actions/secrets";
        gh.publicKey(base);
        wm.stubFor(put(urlEqualTo(base + "/X")).willReturn(github(403,
                "{\"message\":\"Resource not accessible by integration\",\"documentation_url\":"
                        + "\"https://docs.github.com/rest/actions/secrets#create-or-update-a-repository-secret\",\"status\":\"403\"}")
                .withHeader("x-accepted-github-permissions", "secrets=write")));
        GithubStore store = gh.open(Map.of("repository", "acme/web", "token", "ghs_workflow"),
                Map.of("GITHUB_TOKEN", "ghs_workflow", "GITHUB_ACTIONS", "true", "GITHUB_API_URL", wm.baseUrl()));
        StoreException e = assertThrows(StoreException.class, () -> store.write(address("X"), "value"));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().contains("secrets=write"), e.getMessage());
        assertTrue(e.suggestion().contains("Secrets: Read and write"), e.suggestion());
        assertTrue(e.suggestion().contains("workflow's own GITHUB_TOKEN"), e.suggestion());
        assertTrue(e.suggestion().contains("classic PAT"), e.suggestion());
        assertFalse(e.getMessage().contains("value"));
        assertFalse(e.getMessage().contains("ghs_workflow") || e.suggestion().contains("ghs_workflow"));
    }

    /** Repositories acme/a, acme/b and acme/c whose {@code scope} (e.g. actions/secrets) takes S, except acme/b's (403). */
    private List<String> acmeABCWithBRefused(String scope) {
        List<String> repositories = List.of("acme/a", "acme/b", "acme/c");
        for (String repository : repositories) {
            gh.publicKey("/repos/" + repository + "/" + scope);
            gh.putSecret("/repos/" + repository + "/" + scope, "S", 201);
        }
        wm.stubFor(put(urlEqualTo("/repos/acme/b/" + scope + "/S")).willReturn(github(403,
                "{\"message\":\"Must have admin rights to Repository.\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"403\"}")));
        return repositories;
    }

    @Test
    void resumesAfterAPermanentFailureOfOneDestination() {
        List<String> repositories = acmeABCWithBRefused("actions/secrets");
        GithubStore store = gh.open(Map.of("repositories", repositories));
        PartialWriteException e = assertThrows(PartialWriteException.class, () -> store.write(address("S"), "new"));
        assertEquals(List.of("acme/a", "acme/c"), e.written());
        assertEquals(List.of("acme/b"), e.failed());
        assertTrue(e.getMessage().contains("holding the new value: acme/a, acme/c"), e.getMessage());
        assertFalse(e.getMessage().contains("new,") || e.getMessage().contains("'new'"));

        gh.putSecret("/repos/acme/b/actions/secrets", "S", 201); // permission granted; re-run with the same value
        Written resumed = store.write(address("S"), "new");
        assertTrue(resumed.changed());
        wm.verify(1, putRequestedFor(urlEqualTo("/repos/acme/a/actions/secrets/S")));
        wm.verify(2, putRequestedFor(urlEqualTo("/repos/acme/b/actions/secrets/S")));
        wm.verify(1, putRequestedFor(urlEqualTo("/repos/acme/c/actions/secrets/S")));
        assertEquals(List.of("new", "new"), gh.written("/repos/acme/b/actions/secrets", "S"));
        assertFalse(store.write(address("S"), "new").changed(), "nothing left to write in this run");

        // a new run (a new store) rewrites every destination with the same value: idempotent
        GithubStore rerun = gh.open(Map.of("repositories", repositories));
        rerun.write(address("S"), "new");
        wm.verify(2, putRequestedFor(urlEqualTo("/repos/acme/a/actions/secrets/S")));
    }

    @Test
    void fanOutProgressNamesTheEnvironmentAndCountsEveryDestinationOfTheTargetFailuresIncluded() {
        List<String> repositories = acmeABCWithBRefused("environments/prod/secrets");
        GithubStore store = gh.open(Map.of("repositories", repositories, "concurrency", 1));
        assertThrows(PartialWriteException.class, () -> store.write(address("S", "environment", "prod"), "new"));
        assertEquals(List.of(
                "github: 1/3 destinations written (S, environment prod)",
                "github: 1/3 destinations written, 1 failed (S, environment prod)",
                "github: 2/3 destinations written, 1 failed (S, environment prod)"), gh.progress);

        gh.progress.clear();
        gh.putSecret("/repos/acme/b/environments/prod/secrets", "S", 201);
        store.write(address("S", "environment", "prod"), "new");
        assertEquals(List.of(
                "github: 1/3 destinations written (S, environment prod)",
                "github: 2/3 destinations written (S, environment prod)",
                "github: 3/3 destinations written (S, environment prod)"), gh.progress,
                "destinations that already hold the value count as written");
    }

    @Test
    void updatedAtIsTheOldestCopyAndEmptyWhenOneIsMissing() {
        wm.stubFor(get(urlEqualTo("/repos/acme/a/actions/secrets/S")).willReturn(github(200,
                "{\"name\":\"S\",\"created_at\":\"2025-01-10T14:59:22Z\",\"updated_at\":\"2025-03-10T14:59:22Z\"}")));
        wm.stubFor(get(urlEqualTo("/repos/acme/b/actions/secrets/S")).willReturn(github(200,
                "{\"name\":\"S\",\"created_at\":\"2025-01-10T14:59:22Z\",\"updated_at\":\"2025-02-01T00:00:00Z\"}")));
        GithubStore store = gh.open(Map.of("repositories", List.of("acme/a", "acme/b")));
        assertEquals(Optional.of(Instant.parse("2025-02-01T00:00:00Z")), store.updatedAt(address("S")));
        wm.stubFor(get(urlEqualTo("/repos/acme/b/actions/secrets/S"))
                .willReturn(GithubStubs.notFound("actions/secrets#get-a-repository-secret")));
        assertEquals(Optional.empty(), store.updatedAt(address("S")));
    }

    @Test
    void githubApiUrlFromTheEnvironmentIsHonoured() {
        String base = "/repos/acme/web/actions/secrets";
        gh.publicKey(base);
        gh.putSecret(base, "S", 201);
        GithubStore store = gh.open(Map.of("repository", "acme/web"), Map.of("GITHUB_API_URL", wm.baseUrl()));
        store.write(address("S"), "v");
        assertEquals(List.of("v"), gh.written(base, "S"));
    }

    @Test
    void settingsAndValuesAreCheckedBeforeAnyRequest() {
        StoreException e = assertThrows(StoreException.class, () -> gh.open(Map.of("repository", "acme/web",
                "organization", "acme", "app-id", "1", "concurrency", 500)));
        assertTrue(e.getMessage().contains("exactly one of repository"), e.getMessage());
        assertTrue(e.getMessage().contains("concurrency"), e.getMessage());
        assertThrows(StoreException.class, () -> gh.open(Map.of("repository", "not-a-repo")));
        GithubStore store = gh.open(Map.of("repository", "acme/web"));
        StoreException big = assertThrows(StoreException.class, () -> store.write(address("S"), "x".repeat(48 * 1024 + 1)));
        assertTrue(big.getMessage().contains("48 KB"));
        assertThrows(StoreException.class, () -> store.write(address("S", "visibility", "all"), "v"));
        assertThrows(StoreException.class, () -> store.write(address("S", "app", "dependabot", "environment", "prod"), "v"));
        assertThrows(StoreException.class, () -> store.write(address("GITHUB_S"), "v"));
        assertEquals(0, gh.requests());
    }

    @Test
    void deleteSendsOneDeletePerScopeAndTakesA404AsAlreadyGone() {
        String repository = "/repos/acme/web/actions/secrets";
        String environment = "/repos/acme/web/environments/prod%20eu/secrets";
        String organization = "/orgs/acme/dependabot/secrets";
        for (String base : List.of(repository, environment)) {
            gh.publicKey(base);
            wm.stubFor(delete(urlEqualTo(base + "/JWT_SECRET_V1")).willReturn(github(204, null)));
        }
        wm.stubFor(delete(urlEqualTo(organization + "/JWT_SECRET_V1")).willReturn(GithubStubs.notFound(
                "dependabot/secrets#delete-an-organization-secret")));
        gh.publicKey(organization);
        gh.open(Map.of("repository", "acme/web")).delete(address("JWT_SECRET_V1"));
        gh.open(Map.of("repository", "acme/web")).delete(address("JWT_SECRET_V1", "environment", "prod eu"));
        gh.open(Map.of("organization", "acme")).delete(address("JWT_SECRET_V1", "app", "dependabot", "visibility", "all"));
        for (String base : List.of(repository, environment, organization)) {
            wm.verify(1, deleteRequestedFor(urlEqualTo(base + "/JWT_SECRET_V1"))
                    .withHeader("X-GitHub-Api-Version", com.github.tomakehurst.wiremock.client.WireMock.equalTo("2022-11-28")));
        }
        wm.verify(1, getRequestedFor(urlEqualTo(organization + "/public-key")));
        assertEquals(0, wm.findAll(putRequestedFor(urlPathMatching(".*"))).size());
    }

    @Test
    void aDeleteAnsweredNotFoundInAnEnvironmentThatDoesNotExistIsAnErrorNotAlreadyGone() {
        wm.stubFor(delete(urlEqualTo("/repos/acme/web/environments/prdo/secrets/JWT_SECRET_V1"))
                .willReturn(GithubStubs.notFound("actions/secrets#delete-an-environment-secret")));
        wm.stubFor(get(urlEqualTo("/repos/acme/web/environments/prdo/secrets/public-key"))
                .willReturn(GithubStubs.notFound("actions/secrets#get-an-environment-public-key")));
        StoreException e = assertThrows(StoreException.class, () -> gh.open(Map.of("repository", "acme/web"))
                .delete(address("JWT_SECRET_V1", "environment", "prdo")));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
        assertEquals("environment 'prdo' not found in acme/web while reading the public key", e.getMessage());
    }

    @Test
    void aDeleteRefusedAtOneOfSeveralRepositoriesNamesWhereTheSecretIsStillHeld() {
        List<String> repositories = List.of("acme/a", "acme/b", "acme/c");
        for (String repository : repositories) {
            wm.stubFor(delete(urlEqualTo("/repos/" + repository + "/actions/secrets/S")).willReturn(github(204, null)));
        }
        wm.stubFor(delete(urlEqualTo("/repos/acme/b/actions/secrets/S")).willReturn(github(403,
                "{\"message\":\"Must have admin rights to Repository.\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"403\"}")));
        GithubStore store = gh.open(Map.of("repositories", repositories, "concurrency", 1));
        PartialWriteException e = assertThrows(PartialWriteException.class, () -> store.delete(address("S")));
        assertEquals(List.of("acme/a", "acme/c"), e.written());
        assertEquals(List.of("acme/b"), e.failed());
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().startsWith("store 'gh': S deleted at 2 of 3 destinations; deleted at: acme/a, acme/c; "
                + "still holding it: GitHub refused deleting S at acme/b (403: Must have admin rights to Repository.)"),
                e.getMessage());
        assertTrue(e.suggestion().startsWith("fix the cause and re-run: the rest are deleted. "), e.suggestion());
        assertEquals(List.of(
                "github: 1/3 destinations deleted (S)",
                "github: 1/3 destinations deleted, 1 failed (S)",
                "github: 2/3 destinations deleted, 1 failed (S)"), gh.progress);
    }
}
