package dev.rotor.github;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.rotor.github.GithubStubs.address;
import static dev.rotor.github.GithubStubs.github;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import dev.rotor.store.Address;
import dev.rotor.store.StoreException;
import dev.rotor.store.github.GithubStore;

/**
 * {@code repositories: ["acme/svc-*", "!acme/svc-legacy-*"]}: each owner is listed once per run, page by page as
 * GitHub pages ({@code per_page=100}, {@code Link} with rel next/last), archived repositories skipped, and a pattern
 * that matches nothing refused before any write.
 */
class GithubRepositoryPatternTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ORG_FIRST = "/orgs/acme/repos?per_page=100&type=all";
    /** GitHub's next links for an organization use its id, not its login. */
    private static final String ORG_PAGES = "/organizations/4242/repos?per_page=100&type=all&page=";
    private static final Set<String> ARCHIVED = Set.of("acme/svc-old", "acme/lib-007");

    private final GithubStubs gh = new GithubStubs(wm);

    /** acme's 250 repositories on three pages (100, 100, 50): a few svc-* on each, the rest libraries. */
    private static List<List<String>> acmePages() {
        List<List<String>> pages = List.of(new ArrayList<>(List.of("acme/svc-api", "acme/svc-billing", "acme/web")),
                new ArrayList<>(List.of("acme/svc-legacy-auth", "acme/svc-search", "acme/svc-old")),
                new ArrayList<>(List.of("acme/svc-worker")));
        int[] sizes = {100, 100, 50};
        int lib = 0;
        for (int p = 0; p < 3; p++) {
            while (pages.get(p).size() < sizes[p]) {
                pages.get(p).add(String.format("acme/lib-%03d", lib++));
            }
        }
        return pages;
    }

    private static ObjectNode repository(String fullName) {
        String owner = fullName.substring(0, fullName.indexOf('/'));
        ObjectNode node = GithubApi.JSON.createObjectNode();
        node.put("id", 1_000_000 + Math.abs(fullName.hashCode() % 1_000_000));
        node.put("name", fullName.substring(fullName.indexOf('/') + 1));
        node.put("full_name", fullName);
        node.put("private", true);
        node.putObject("owner").put("login", owner).put("type", owner.equals("bob") ? "User" : "Organization");
        node.put("archived", ARCHIVED.contains(fullName));
        node.put("disabled", false);
        node.put("visibility", "private");
        return node;
    }

    /**
     * Stubs a listing: page 1 at {@code first}, page n at {@code pages + n}, each with GitHub's Link header
     * (first/prev/next/last as applicable); {@code wrapped} answers as /installation/repositories does.
     */
    private void listing(String first, String pages, List<List<String>> content, boolean wrapped) {
        int last = content.size();
        for (int n = 1; n <= last; n++) {
            ArrayNode items = GithubApi.JSON.createArrayNode();
            content.get(n - 1).forEach(name -> items.add(repository(name)));
            String body = items.toString();
            if (wrapped) {
                ObjectNode object = GithubApi.JSON.createObjectNode();
                object.put("total_count", content.stream().mapToInt(List::size).sum());
                object.put("repository_selection", "selected");
                object.set("repositories", items);
                body = object.toString();
            }
            List<String> links = new ArrayList<>();
            if (n < last) {
                links.add("<" + wm.baseUrl() + pages + (n + 1) + ">; rel=\"next\"");
                links.add("<" + wm.baseUrl() + pages + last + ">; rel=\"last\"");
            }
            if (n > 1) {
                links.add("<" + wm.baseUrl() + pages + (n - 1) + ">; rel=\"prev\"");
                links.add("<" + wm.baseUrl() + pages + 1 + ">; rel=\"first\"");
            }
            ResponseDefinitionBuilder response = github(200, body);
            if (!links.isEmpty()) {
                response.withHeader("Link", String.join(", ", links));
            }
            wm.stubFor(get(urlEqualTo(n == 1 ? first : pages + n)).willReturn(response));
        }
    }

    private void writable(List<String> repositories, String name, String... environments) {
        for (String repository : repositories) {
            gh.publicKey("/repos/" + repository + "/actions/secrets");
            gh.putSecret("/repos/" + repository + "/actions/secrets", name, 201);
            for (String environment : environments) {
                gh.publicKey("/repos/" + repository + "/environments/" + environment + "/secrets");
                gh.putSecret("/repos/" + repository + "/environments/" + environment + "/secrets", name, 201);
            }
        }
    }

    @Test
    void aPatternFansOutAcrossThreeListingPagesAtTheMinimumCost() {
        listing(ORG_FIRST, ORG_PAGES, acmePages(), false);
        List<String> expected = List.of("acme/svc-api", "acme/svc-billing", "acme/svc-search", "acme/svc-worker", "acme/web");
        writable(expected, "API_KEY", "prod");
        GithubStore store = gh.open(Map.of("repositories", List.of("acme/svc-*", "!acme/svc-legacy-*", "acme/svc-api",
                "acme/web"), "concurrency", 4));
        List<Address> targets = List.of(address("API_KEY"), address("API_KEY", "environment", "prod"));

        store.preflight(targets);
        assertEquals(3 + 10, gh.requests(), "preflight: 3 listing pages + 10 public keys, nothing written");
        store.preflight(targets);
        assertEquals(3 + 10, gh.requests(), "listing and keys are cached for the run");
        for (Address target : targets) {
            store.write(target, "value-" + target.scope().size());
        }
        assertEquals(3 + 10 + 10, gh.requests(), "minimum: list pages + one key per scope + one PUT per destination");
        assertEquals(3 + 10 + 10, store.stats().requests());
        wm.verify(1, getRequestedFor(urlEqualTo(ORG_FIRST)));
        wm.verify(1, getRequestedFor(urlEqualTo(ORG_PAGES + 2)));
        wm.verify(1, getRequestedFor(urlEqualTo(ORG_PAGES + 3)));
        for (String repository : expected) {
            assertEquals(List.of("value-0"), gh.written("/repos/" + repository + "/actions/secrets", "API_KEY"));
            assertEquals(List.of("value-1"), gh.written("/repos/" + repository + "/environments/prod/secrets", "API_KEY"));
        }
        // excluded, archived and unmatched repositories are never touched
        wm.verify(0, putRequestedFor(urlPathMatching("/repos/acme/(svc-legacy-auth|svc-old|lib-.*)/.*")));
        wm.verify(0, getRequestedFor(urlPathMatching("/repos/acme/(svc-legacy-auth|svc-old|lib-.*)/.*")));
        assertTrue(gh.progress.contains("github: store 'gh': acme/svc-* -> 4 repositories: acme/svc-api, "
                + "acme/svc-billing, acme/svc-search, acme/svc-worker"), gh.progress.toString());
        assertTrue(gh.progress.contains("github: store 'gh': acme/svc-*: skipping 1 archived (read-only) repository: "
                + "acme/svc-old"), gh.progress.toString());
        assertTrue(gh.progress.contains("github: store 'gh': acme/svc-*: excluded acme/svc-legacy-auth"), gh.progress.toString());
        assertTrue(gh.progress.contains("github: 5/5 destinations written (API_KEY)"), gh.progress.toString());
        wm.verify(getRequestedFor(urlEqualTo(ORG_PAGES + 3)).withHeader("Authorization", equalTo("Bearer ghp_test")));
    }

    @Test
    void aWholeOwnerPatternSkipsArchivedRepositoriesAndQuestionMarksMatchOneCharacter() {
        listing(ORG_FIRST, ORG_PAGES, acmePages(), false);
        writable(List.of("acme/lib-001", "acme/lib-002"), "S");
        GithubStore store = gh.open(Map.of("repositories", List.of("acme/LIB-00?", "!acme/lib-000",
                "!acme/lib-003", "!acme/lib-004", "!acme/lib-005", "!acme/lib-006", "!acme/lib-008", "!acme/lib-009")));
        store.write(address("S"), "v");
        assertEquals(List.of("v"), gh.written("/repos/acme/lib-001/actions/secrets", "S"));
        assertEquals(List.of("v"), gh.written("/repos/acme/lib-002/actions/secrets", "S"));
        assertEquals(3 + 2 + 2, gh.requests());
        assertTrue(gh.progress.stream().anyMatch(l -> l.contains("skipping 1 archived (read-only) repository: acme/lib-007")),
                gh.progress.toString());
    }

    @Test
    void aUserOwnerIsListedThroughTheTokensOwnView() {
        wm.stubFor(get(urlEqualTo("/orgs/bob/repos?per_page=100&type=all"))
                .willReturn(GithubStubs.notFound("repos/repos#list-organization-repositories")));
        String first = "/user/repos?per_page=100&affiliation=owner,collaborator";
        listing(first, "/user/repos?per_page=100&affiliation=owner%2Ccollaborator&page=",
                List.of(List.of("acme/dotfiles", "bob/dotfiles", "bob/api"), List.of("bob/dotnet-tools", "carol/dots")), false);
        writable(List.of("bob/dotfiles", "bob/dotnet-tools"), "S");
        GithubStore store = gh.open(Map.of("repositories", List.of("bob/dot*")));

        store.write(address("S"), "v");
        assertEquals(List.of("v"), gh.written("/repos/bob/dotfiles/actions/secrets", "S"));
        assertEquals(List.of("v"), gh.written("/repos/bob/dotnet-tools/actions/secrets", "S"));
        assertEquals(1 + 2 + 2 + 2, gh.requests(), "the organization 404, two pages, two keys, two PUTs");
        wm.verify(0, putRequestedFor(urlPathMatching("/repos/(acme|carol)/.*")));
        wm.verify(0, getRequestedFor(urlPathMatching("/users/bob/repos.*")));
        assertTrue(gh.progress.contains("github: bob is not an organization; listing the repositories of user bob "
                + "that token can reach"), gh.progress.toString());
    }

    @Test
    void anInstallationTokenListsTheInstallationsRepositories() {
        String pages = "/installation/repositories?per_page=100&page=";
        listing("/installation/repositories?per_page=100", pages,
                List.of(List.of("acme/svc-api", "acme/web"), List.of("acme/svc-search")), true);
        writable(List.of("acme/svc-api", "acme/svc-search"), "S");
        GithubStore store = gh.open(Map.of("repositories", List.of("acme/svc-*"), "token", "ghs_passedin"));

        store.write(address("S"), "v");
        assertEquals(2 + 2 + 2, gh.requests(), "two pages, two keys, two PUTs");
        wm.verify(0, getRequestedFor(urlPathMatching("/(orgs|user)/.*")));
        assertEquals(List.of("v"), gh.written("/repos/acme/svc-search/actions/secrets", "S"));
    }

    @Test
    void aGithubAppFindsItsInstallationOnTheOwnerAndListsWithItsToken() throws Exception {
        String key = GithubStubs.appKeyPems()[0];
        wm.stubFor(get(urlEqualTo("/orgs/acme/installation")).willReturn(github(200,
                "{\"id\":42,\"account\":{\"login\":\"acme\",\"type\":\"Organization\"},\"app_id\":12345,\"target_type\":\"Organization\"}")));
        wm.stubFor(get(urlEqualTo("/orgs/bob/installation")).willReturn(GithubStubs.notFound(
                "apps/apps#get-an-organization-installation-for-the-authenticated-app")));
        wm.stubFor(get(urlEqualTo("/users/bob/installation")).willReturn(github(200,
                "{\"id\":43,\"account\":{\"login\":\"bob\",\"type\":\"User\"},\"app_id\":12345,\"target_type\":\"User\"}")));
        for (int installation : new int[] {42, 43}) {
            wm.stubFor(post(urlEqualTo("/app/installations/" + installation + "/access_tokens")).willReturn(github(201,
                    "{\"token\":\"ghs_inst" + installation + "\",\"expires_at\":\"2026-01-01T01:00:00Z\","
                            + "\"permissions\":{\"secrets\":\"write\",\"metadata\":\"read\"},\"repository_selection\":\"all\"}")));
        }
        listing("/installation/repositories?per_page=100", "/installation/repositories?per_page=100&page=",
                List.of(List.of("acme/svc-api", "acme/web"), List.of("acme/svc-search")), true);
        writable(List.of("acme/svc-api", "acme/svc-search", "bob/tools"), "S");
        // bob's installation sees only bob's repositories (a second stub answering with bob's token)
        wm.stubFor(get(urlEqualTo("/installation/repositories?per_page=100")).withHeader("Authorization",
                equalTo("Bearer ghs_inst43")).willReturn(github(200, "{\"total_count\":1,\"repository_selection\":\"all\","
                + "\"repositories\":[" + repository("bob/tools") + "]}")));
        GithubStore store = gh.open(Map.of("repositories", List.of("acme/svc-*", "bob/t*"), "app-id", "12345",
                "private-key", key));

        store.write(address("S"), "v");
        wm.verify(getRequestedFor(urlEqualTo("/installation/repositories?per_page=100&page=2"))
                .withHeader("Authorization", equalTo("Bearer ghs_inst42")));
        assertEquals(List.of("v"), gh.written("/repos/bob/tools/actions/secrets", "S"));
        assertEquals(List.of("v"), gh.written("/repos/acme/svc-search/actions/secrets", "S"));
        // acme: installation + token + 2 pages; bob: org 404 + user installation + token + 1 page; 3 keys + 3 PUTs
        assertEquals(4 + 4 + 3 + 3, gh.requests());
        wm.verify(0, getRequestedFor(urlPathMatching("/repos/.*/installation")));
    }

    @Test
    void aPatternThatMatchesNothingIsRefusedBeforeAnyWrite() {
        listing(ORG_FIRST, ORG_PAGES, acmePages(), false);
        GithubStore store = gh.open(Map.of("repositories", List.of("acme/svc-*", "acme/nope-*", "acme/svc-ol?")));
        StoreException e = assertThrows(StoreException.class, () -> store.preflight(List.of(address("S"))));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("acme/nope-* matches no repository visible to token"), e.getMessage());
        assertTrue(e.getMessage().contains("acme/svc-ol? matches only archived or excluded repositories"), e.getMessage());
        assertEquals(3, gh.requests(), "the three listing pages, once, and nothing else");
        assertThrows(StoreException.class, () -> store.write(address("S"), "v"));
        wm.verify(0, putRequestedFor(urlPathMatching(".*")));
        assertEquals(3, gh.requests(), "the listing is not repeated within the run");
    }

    @Test
    void anOwnerTheTokenCannotListSaysWhatListingNeeds() {
        wm.stubFor(get(urlEqualTo("/orgs/ghost/repos?per_page=100&type=all"))
                .willReturn(GithubStubs.notFound("repos/repos#list-organization-repositories")));
        wm.stubFor(get(urlEqualTo("/user/repos?per_page=100&affiliation=owner,collaborator")).willReturn(github(200, "[]")));
        GithubStore store = gh.open(Map.of("repositories", List.of("ghost/*")));
        StoreException e = assertThrows(StoreException.class, () -> store.preflight(List.of(address("S"))));
        assertTrue(e.getMessage().contains("ghost/* matches no repository visible to token"), e.getMessage());
    }

    @Test
    void aNextPageLinkToAnotherHostIsNotFollowed() {
        wm.stubFor(get(urlEqualTo(ORG_FIRST)).willReturn(github(200, "[" + repository("acme/svc-a") + "]")
                .withHeader("Link", "<https://elsewhere.example/orgs/acme/repos?page=2>; rel=\"next\"")));
        GithubStore store = gh.open(Map.of("repositories", List.of("acme/svc-*")));
        StoreException e = assertThrows(StoreException.class, () -> store.preflight(List.of(address("S"))));
        assertTrue(e.getMessage().contains("does not send the token there"), e.getMessage());
        assertEquals(1, gh.requests());
    }

    @Test
    void patternSyntaxIsCheckedBeforeAnyRequest() {
        gh.open(Map.of("repositories", List.of("acme/*", "acme/svc-?", "!acme/legacy-*", "acme/web", "bob/x.y_z-1")));
        for (String malformed : List.of("acme/", "*/x", "ac*me/x", "acme", "/x", "acme/a/b", "acme/[ab]", "!", "!!acme/x",
                "acme/svc *")) {
            StoreException e = assertThrows(StoreException.class, () -> gh.open(Map.of("repositories", List.of(malformed))),
                    malformed);
            assertEquals(StoreException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage().contains("repository entry '" + malformed + "'"), e.getMessage());
        }
        assertTrue(message(Map.of("repositories", List.of("*/x"))).contains("the owner is one user or organization"));
        assertTrue(message(Map.of("repositories", List.of("acme/[ab]"))).contains("only * and ? are wildcards"));
        assertTrue(message(Map.of("repository", "acme/*")).contains("put patterns such as acme/* in repositories"));
        assertTrue(message(Map.of("repositories", List.of("!acme/x"))).contains("only exclusions"));
        assertTrue(message(Map.of("repositories", List.of("acme/a", "!acme/legacy-*"))).contains("has none"));
        assertTrue(message(Map.of("repositories", List.of("acme/*", "acme/legacy-x", "!acme/legacy-*")))
                .contains("acme/legacy-x is both listed and excluded by !acme/legacy-*"));
        assertTrue(message(Map.of("repositories", List.of("acme/svc-*", "ACME/svc-*"))).contains("twice"));
        assertTrue(message(Map.of("repositories", List.of())).contains("empty"));
        assertEquals(0, gh.requests());
    }

    private String message(Map<String, Object> settings) {
        StoreException e = assertThrows(StoreException.class, () -> gh.open(settings));
        assertFalse(e.getMessage().contains("ghp_test"));
        return e.getMessage();
    }
}
