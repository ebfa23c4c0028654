package dev.rotor.store.github;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rotor.github.Credentials;
import dev.rotor.github.GithubApi;
import dev.rotor.store.StoreException;

/**
 * Expands a store's {@code repositories} patterns into repositories. Each owner a pattern names is listed once,
 * page by page (100 a page, following GitHub's {@code Link: rel="next"}), through the same request path as every
 * other call: {@code GET /orgs/{org}/repos?per_page=100&type=all}; when that answers 404 the owner is a user, and
 * {@code GET /user/repos?per_page=100&affiliation=owner,collaborator} lists what the token can reach there
 * ({@code /users/{u}/repos} would list public repositories only); an installation token lists
 * {@code GET /installation/repositories?per_page=100}. Archived repositories (read-only) are skipped and said so.
 */
final class RepositoryListing {
    static final int PER_PAGE = 100;
    private static final int MAX_PAGES = 1000;

    /** A repository as a listing shows it. */
    record Listed(String fullName, boolean archived) {
    }

    private final String storeName;
    private final GithubApi api;
    private final Credentials credentials;
    /** (owner, path) → GitHub's answer, authenticated for that owner as a whole. */
    private final BiFunction<String, String, GithubApi.Response> get;
    private final Consumer<String> progress;
    private final Map<String, Memo<List<Listed>>> owners = new ConcurrentHashMap<>();

    RepositoryListing(String storeName, GithubApi api, Credentials credentials,
                      BiFunction<String, String, GithubApi.Response> get, Consumer<String> progress) {
        this.storeName = storeName;
        this.api = api;
        this.credentials = credentials;
        this.get = get;
        this.progress = progress;
    }

    /**
     * The repositories the entries name, in manifest order without duplicates: literal entries as written (they
     * cost no listing; preflight's public-key request proves them), patterns as the listing of their owner shows
     * them, less archived ones and those an exclusion matches. A pattern left with nothing is an error.
     */
    List<String> expand(List<RepositoryPattern> includes, List<RepositoryPattern> exclusions) {
        Map<String, String> result = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (RepositoryPattern include : includes) {
            if (!include.glob()) {
                result.putIfAbsent(include.repository().toLowerCase(Locale.ROOT), include.repository());
                continue;
            }
            List<String> matched = new ArrayList<>();
            List<String> archived = new ArrayList<>();
            List<String> excluded = new ArrayList<>();
            for (Listed listed : list(include.owner())) {
                if (!include.matches(listed.fullName())) {
                    continue;
                }
                if (exclusions.stream().anyMatch(e -> e.matches(listed.fullName()))) {
                    excluded.add(listed.fullName());
                } else if (listed.archived()) {
                    archived.add(listed.fullName());
                } else {
                    matched.add(listed.fullName());
                }
            }
            String where = "github: store '" + storeName + "': " + include;
            if (!archived.isEmpty()) {
                progress.accept(where + ": skipping " + archived.size() + " archived (read-only) "
                        + plural(archived.size()) + ": " + String.join(", ", archived));
            }
            if (!excluded.isEmpty()) {
                progress.accept(where + ": excluded " + String.join(", ", excluded));
            }
            if (matched.isEmpty()) {
                problems.add(archived.isEmpty() && excluded.isEmpty()
                        ? include + " matches no repository visible to " + credentials.describe()
                        : include + " matches only archived or excluded repositories");
                continue;
            }
            progress.accept(where + " -> " + matched.size() + " " + plural(matched.size()) + ": " + String.join(", ", matched));
            matched.forEach(name -> result.putIfAbsent(name.toLowerCase(Locale.ROOT), name));
        }
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.NOT_FOUND, "store '" + storeName + "' (github): "
                    + String.join("; ", problems), "check the pattern, and that the token can see the repositories "
                    + "(a fine-grained PAT or a GitHub App sees only those it was granted); Rotor never writes nowhere");
        }
        return List.copyOf(result.values());
    }

    /** Every repository of {@code owner} visible to the credentials, listed once per run, sorted by name. */
    List<Listed> list(String owner) {
        return owners.computeIfAbsent(owner.toLowerCase(Locale.ROOT), o -> new Memo<>()).get(() -> {
            List<Listed> all;
            if (credentials.installation()) {
                all = pages(owner, "/installation/repositories?per_page=" + PER_PAGE, null);
            } else {
                GithubApi.Response first = get.apply(owner, "/orgs/" + owner + "/repos?per_page=" + PER_PAGE + "&type=all");
                if (first.status() == 404) {
                    progress.accept("github: " + owner + " is not an organization; listing the repositories of user "
                            + owner + " that " + credentials.describe() + " can reach");
                    all = pages(owner, "/user/repos?per_page=" + PER_PAGE + "&affiliation=owner,collaborator", null);
                } else {
                    all = pages(owner, null, first);
                }
            }
            List<Listed> mine = new ArrayList<>(all.stream()
                    .filter(l -> l.fullName().toLowerCase(Locale.ROOT).startsWith(owner.toLowerCase(Locale.ROOT) + "/"))
                    .toList());
            mine.sort(Comparator.comparing(l -> l.fullName().toLowerCase(Locale.ROOT)));
            return List.copyOf(mine);
        });
    }

    /** Follows {@code rel="next"} from {@code path} (or from an answer already in hand) to the last page. */
    private List<Listed> pages(String owner, String path, GithubApi.Response first) {
        List<Listed> listed = new ArrayList<>();
        GithubApi.Response response = first != null ? first : get.apply(owner, path);
        for (int page = 1; ; page++) {
            if (response.status() != 200) {
                throw failure(owner, response);
            }
            JsonNode body = response.json();
            JsonNode items = body.isArray() ? body : body.path("repositories");
            if (!items.isArray()) {
                throw new StoreException(StoreException.Kind.FAILED, "GitHub's list of the repositories of " + owner
                        + " has no repositories array");
            }
            for (JsonNode item : items) {
                if (item.hasNonNull("full_name")) {
                    listed.add(new Listed(item.get("full_name").asText(), item.path("archived").asBoolean(false)));
                }
            }
            Optional<String> next = api.nextPage(response);
            if (next.isEmpty()) {
                return listed;
            }
            if (page >= MAX_PAGES) {
                throw new StoreException(StoreException.Kind.FAILED, "GitHub's list of the repositories of " + owner
                        + " goes on past " + MAX_PAGES + " pages", "name the repositories instead of a pattern");
            }
            response = get.apply(owner, next.get());
        }
    }

    private StoreException failure(String owner, GithubApi.Response response) {
        String github = response.message().isEmpty() ? "" : ": " + response.message();
        String doing = "listing the repositories of " + owner + " (" + response.status() + github + ")";
        return switch (response.status()) {
            case 401 -> new StoreException(StoreException.Kind.PERMISSION, "GitHub rejected the credentials ("
                    + credentials.describe() + ") while " + doing, "check that the token is current (not expired or revoked)");
            case 403, 404 -> new StoreException(response.status() == 403 ? StoreException.Kind.PERMISSION
                    : StoreException.Kind.NOT_FOUND, "GitHub refused " + doing,
                    "a pattern needs to list the owner's repositories: a classic PAT with the repo scope, a fine-grained "
                            + "PAT or a GitHub App installation on " + owner + " (metadata: read, which both always have); "
                            + "or name the repositories instead");
            default -> new StoreException(StoreException.Kind.FAILED, "GitHub answered " + doing);
        };
    }

    private static String plural(int n) {
        return n == 1 ? "repository" : "repositories";
    }
}
