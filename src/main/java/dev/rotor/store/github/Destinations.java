package dev.rotor.store.github;

import dev.rotor.github.Credentials;
import dev.rotor.github.GithubApi;
import dev.rotor.store.StoreException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a target goes: its organization, or every repository of the store (patterns expanded by listing each
 * owner once per run) or each one's environment; and the ids of a {@code selected} organization secret's
 * repositories, looked up once per repository per run.
 */
final class Destinations {
    /** A GET at a destination, with the store's authorization and re-authorization. */
    interface Lookup {
        GithubApi.Response get(Destination at, String path);
    }

    private final GithubSettings settings;
    private final RepositoryListing listing;
    private final Lookup lookup;
    private final Credentials credentials;
    private final Memo<List<String>> repositories = new Memo<>();
    private final Map<String, Memo<Long>> repositoryIds = new ConcurrentHashMap<>();

    Destinations(GithubSettings settings, RepositoryListing listing, Lookup lookup, Credentials credentials) {
        this.settings = settings;
        this.listing = listing;
        this.lookup = lookup;
        this.credentials = credentials;
    }

    List<Destination> of(GithubTarget target) {
        if (settings.organizationStore()) {
            return List.of(Destination.organization(settings.organization(), target.app()));
        }
        List<Destination> list = new ArrayList<>();
        for (String repository : repositories()) {
            list.add(target.environment() != null ? Destination.environment(repository, target.environment())
                    : Destination.repository(repository, target.app()));
        }
        return list;
    }

    /**
     * The repositories this store fans out to: its entries, with patterns expanded by listing each owner once per
     * run (the listing's pages are the only requests this adds). Progress names what each pattern matched.
     */
    private List<String> repositories() {
        return repositories.get(() -> listing.expand(settings.includes(), settings.exclusions()));
    }

    /** Ids of the repositories of a {@code selected} organization secret: one lookup per repository per run. */
    List<Long> selectedIds(List<String> names) {
        Destination org = Destination.organization(settings.organization(), "actions");
        List<Long> ids = new ArrayList<>();
        for (String name : names) {
            String full = name.contains("/") ? name : settings.organization() + "/" + name;
            ids.add(repositoryIds.computeIfAbsent(full.toLowerCase(Locale.ROOT), f -> new Memo<>()).get(() -> {
                GithubApi.Response response = lookup.get(org, "/repos/" + full);
                if (response.status() == 200 && response.json().hasNonNull("id")) {
                    return response.json().get("id").asLong();
                }
                if (response.status() == 404) {
                    throw new StoreException(StoreException.Kind.NOT_FOUND, "selected repository " + full
                            + " not found, or not visible to this token", "check selected-repositories");
                }
                throw GithubErrors.failure(org, response, "looking up repository " + full, credentials);
            }));
        }
        return ids;
    }
}
