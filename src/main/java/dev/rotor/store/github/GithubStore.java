package dev.rotor.store.github;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rotor.github.Credentials;
import dev.rotor.github.GithubApi;
import dev.rotor.github.SealedBox;
import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.PartialWriteException;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

/**
 * GitHub secrets of one or many repositories (fan-out), their environments, or an organization, for Actions,
 * Dependabot or Codespaces. Lives for the whole run, so it caches one public key per scope and one id per
 * repository named in a {@code selected} organization secret; the write path is then one PUT per destination.
 * GitHub secrets cannot be read back: the store is never a journal.
 */
public final class GithubStore implements Store {
    static final int MAX_VALUE_BYTES = 48 * 1024;
    static final Set<String> APPS = Set.of("actions", "dependabot", "codespaces");
    static final Set<String> VISIBILITIES = Set.of("all", "private", "selected");

    private record PublicKey(String id, String key) {
    }

    /** A target's scope, checked. */
    private record Target(String name, String app, String environment, String visibility, List<String> selected) {
    }

    private enum State { WRITTEN, ALREADY, FAILED, NOT_ATTEMPTED }

    private record Outcome<T>(Destination destination, State state, T value, StoreException error) {
    }

    /** A 401: every other destination would fail the same way. */
    private static final class CredentialsRejected extends StoreException {
        CredentialsRejected(String message, String suggestion) {
            super(Kind.PERMISSION, message, suggestion);
        }
    }

    private final String storeName;
    private final GithubSettings settings;
    private final GithubApi api;
    private final Credentials credentials;
    private final Consumer<String> progress;
    private final Map<String, Memo<PublicKey>> keys = new ConcurrentHashMap<>();
    private final Map<String, Memo<Long>> repositoryIds = new ConcurrentHashMap<>();
    private final RepositoryListing listing;
    private final Memo<List<String>> repositories = new Memo<>();
    private final Map<String, byte[]> holding = new ConcurrentHashMap<>();
    private final byte[] runKey = new byte[32];

    GithubStore(String storeName, GithubSettings settings, GithubApi api, Credentials credentials, Consumer<String> progress) {
        this.storeName = storeName;
        this.settings = settings;
        this.api = api;
        this.credentials = credentials;
        this.progress = progress == null ? s -> { } : progress;
        this.listing = new RepositoryListing(storeName, api, credentials,
                (owner, path) -> send("GET", owner, () -> credentials.ownerAuthorization(owner), path, null), this.progress);
        new SecureRandom().nextBytes(runKey);
    }

    /** Request counters of this store's client (for the report and the benchmark). */
    public GithubApi.Stats stats() {
        return api.stats();
    }

    @Override
    public Set<Capability> capabilities() {
        return GithubProvider.CAPABILITIES;
    }

    @Override
    public Optional<Stored> read(Address address) {
        throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName
                + "' (github): GitHub secrets cannot be read back", "use a readable store as the journal");
    }

    /** Checks every target's scope, then fetches each scope's public key (cached for the writes) and the ids of selected repositories. */
    @Override
    public void preflight(List<Address> addresses) {
        List<Target> targets = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Address address : addresses) {
            try {
                targets.add(target(address));
            } catch (StoreException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, String.join("; ", problems), "see docs/github.md");
        }
        Map<String, Destination> scopes = new LinkedHashMap<>();
        Set<String> selected = new LinkedHashSet<>();
        for (Target target : targets) {
            destinations(target).forEach(d -> scopes.putIfAbsent(d.base(), d));
            if (target.selected() != null) {
                selected.addAll(target.selected());
            }
        }
        List<StoreException> failures = new ArrayList<>();
        for (Outcome<PublicKey> outcome : parallel(scopes.values(), this::publicKey, false)) {
            if (outcome.error() != null) {
                failures.add(outcome.error());
            }
        }
        if (failures.isEmpty() && !selected.isEmpty()) {
            try {
                selectedIds(new ArrayList<>(selected));
            } catch (StoreException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            StoreException first = failures.get(0);
            throw new StoreException(first.kind(), "store '" + storeName + "' (github) preflight: "
                    + String.join("; ", failures.stream().map(Throwable::getMessage).toList()), first.suggestion());
        }
    }

    @Override
    public Written write(Address address, String value) {
        Target target = target(address);
        int size = value.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_VALUE_BYTES) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "': the value for " + target.name()
                    + " is " + size + " bytes; GitHub secrets hold at most 48 KB", "store a smaller value or a reference to it");
        }
        List<Destination> destinations = destinations(target);
        List<Long> ids = target.selected() == null ? null : selectedIds(target.selected());
        byte[] fingerprint = fingerprint(value);
        int total = destinations.size();
        FanOutProgress fanOut = new FanOutProgress(total, target.name()
                + (target.environment() == null ? "" : ", environment " + target.environment()), progress);
        List<Outcome<State>> outcomes = parallel(destinations, destination -> {
            try {
                State state = writeOne(destination, target, value, fingerprint, ids);
                fanOut.finished(true);
                return state;
            } catch (StoreException e) {
                fanOut.finished(false);
                throw e;
            }
        }, true);
        List<String> written = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        boolean changed = false;
        StoreException first = null;
        for (Outcome<State> outcome : outcomes) {
            String label = outcome.destination().label();
            if (outcome.error() == null && outcome.state() != State.NOT_ATTEMPTED) {
                written.add(label);
                changed |= outcome.value() == State.WRITTEN;
            } else {
                failed.add(label);
                if (outcome.error() != null) {
                    first = first == null ? outcome.error() : first;
                    reasons.add(outcome.error().getMessage());
                } else {
                    reasons.add(label + ": not attempted");
                }
            }
        }
        if (failed.isEmpty()) {
            return new Written(null, changed);
        }
        if (total == 1) {
            throw first;
        }
        String holders = written.isEmpty() ? "none"
                : written.size() <= 20 ? String.join(", ", written) : "every destination except the " + failed.size() + " below";
        throw new PartialWriteException(first.kind(), "store '" + storeName + "': " + target.name() + " reached "
                + written.size() + " of " + total + " destinations; holding the new value: " + holders
                + "; not holding it: " + String.join("; ", reasons), written, failed,
                "fix the cause and re-run: the same value is written to the rest. " + first.suggestion());
    }

    /** The oldest {@code updated_at} over the target's destinations; empty when a destination lacks the secret. */
    @Override
    public Optional<Instant> updatedAt(Address address) {
        Target target = target(address);
        Instant oldest = null;
        for (Outcome<Optional<Instant>> outcome : parallel(destinations(target), d -> secretUpdatedAt(d, target.name()), false)) {
            if (outcome.error() != null) {
                throw outcome.error();
            }
            if (outcome.value().isEmpty()) {
                return Optional.empty();
            }
            Instant at = outcome.value().get();
            oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
        }
        return Optional.ofNullable(oldest);
    }

    private Optional<Instant> secretUpdatedAt(Destination destination, String name) {
        GithubApi.Response response = call("GET", destination, destination.secretPath(name), null);
        if (response.status() == 404 && destination.kind() != Destination.Kind.ENVIRONMENT) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            // an unknown environment also answers 404: say which
            throw failure(destination, response, "reading " + name);
        }
        try {
            return Optional.of(Instant.parse(response.json().path("updated_at").asText()));
        } catch (RuntimeException e) {
            throw new StoreException(StoreException.Kind.FAILED, "GitHub gave no updated_at for " + name + " at " + destination.label());
        }
    }

    private State writeOne(Destination destination, Target target, String value, byte[] fingerprint, List<Long> ids) {
        String path = destination.secretPath(target.name());
        if (MessageDigest.isEqual(holding.get(path), fingerprint)) {
            return State.ALREADY;
        }
        PublicKey key = publicKey(destination);
        GithubApi.Response response = call("PUT", destination, path, body(key, value, target, ids, destination.app()));
        if (response.status() == 422) {
            // GitHub may have replaced the scope's key since we cached it: fetch it again once and reseal
            keys.remove(destination.base());
            PublicKey fresh = publicKey(destination);
            if (!fresh.id().equals(key.id())) {
                response = call("PUT", destination, path, body(fresh, value, target, ids, destination.app()));
            }
        }
        if (response.status() != 201 && response.status() != 204) {
            throw failure(destination, response, "writing " + target.name());
        }
        holding.put(path, fingerprint);
        return State.WRITTEN;
    }

    private static String body(PublicKey key, String value, Target target, List<Long> ids, String app) {
        ObjectNode body = GithubApi.JSON.createObjectNode();
        body.put("encrypted_value", SealedBox.sealBase64(value, key.key()));
        body.put("key_id", key.id());
        if (target.visibility() != null) {
            body.put("visibility", target.visibility());
        }
        if (ids != null) {
            // the whole list every time: leaving it out can clear it. Dependabot takes the ids as strings.
            ArrayNode list = body.putArray("selected_repository_ids");
            ids.forEach(id -> {
                if ("dependabot".equals(app)) {
                    list.add(String.valueOf(id));
                } else {
                    list.add(id);
                }
            });
        }
        return body.toString();
    }

    private PublicKey publicKey(Destination destination) {
        return keys.computeIfAbsent(destination.base(), b -> new Memo<>()).get(() -> {
            GithubApi.Response response = call("GET", destination, destination.publicKeyPath(), null);
            JsonNode json = response.status() == 200 ? response.json() : null;
            if (json == null || !json.hasNonNull("key_id") || !json.hasNonNull("key")) {
                throw failure(destination, response, "reading the public key");
            }
            String key = json.get("key").asText();
            try {
                SealedBox.decodePublicKey(key);
            } catch (IllegalArgumentException e) {
                throw new StoreException(StoreException.Kind.FAILED, "GitHub's public key for " + destination.label()
                        + " is unusable: " + e.getMessage());
            }
            return new PublicKey(json.get("key_id").asText(), key);
        });
    }

    /** Ids of the repositories of a {@code selected} organization secret: one lookup per repository per run. */
    private List<Long> selectedIds(List<String> names) {
        Destination org = Destination.organization(settings.organization(), "actions");
        List<Long> ids = new ArrayList<>();
        for (String name : names) {
            String full = name.contains("/") ? name : settings.organization() + "/" + name;
            ids.add(repositoryIds.computeIfAbsent(full.toLowerCase(Locale.ROOT), f -> new Memo<>()).get(() -> {
                GithubApi.Response response = call("GET", org, "/repos/" + full, null);
                if (response.status() == 200 && response.json().hasNonNull("id")) {
                    return response.json().get("id").asLong();
                }
                if (response.status() == 404) {
                    throw new StoreException(StoreException.Kind.NOT_FOUND, "selected repository " + full
                            + " not found, or not visible to this token", "check selected-repositories");
                }
                throw failure(org, response, "looking up repository " + full);
            }));
        }
        return ids;
    }

    private GithubApi.Response call(String method, Destination destination, String path, String body) {
        return send(method, destination.owner(), () -> credentials.authorization(destination.owner(),
                destination.installationPath()), path, body);
    }

    private GithubApi.Response send(String method, String owner, Supplier<String> auth, String path, String body) {
        GithubApi.Response response = api.send(method, path, body, auth);
        if (response.status() == 401 && credentials.invalidate(owner)) {
            response = api.send(method, path, body, auth);
        }
        return response;
    }

    private StoreException failure(Destination destination, GithubApi.Response response, String doing) {
        String where = destination.label();
        String github = response.message().isEmpty() ? "" : ": " + response.message();
        return switch (response.status()) {
            case 401 -> new CredentialsRejected( "GitHub rejected the credentials ("
                    + credentials.describe() + ", 401) while " + doing + " at " + where,
                    "check that the token is current (not expired or revoked)");
            case 403 -> new StoreException(StoreException.Kind.PERMISSION, "GitHub refused " + doing + " at " + where
                    + " (403" + github + ")" + response.header("x-accepted-github-permissions")
                    .map(p -> "; GitHub accepts the permissions " + p).orElse(""),
                    (credentials.workflowToken() ? "this looks like the workflow's own GITHUB_TOKEN. " : "")
                            + destination.permissionHint());
            case 404 -> switch (destination.kind()) {
                case ENVIRONMENT -> new StoreException(StoreException.Kind.NOT_FOUND, "environment '"
                        + destination.environment() + "' not found in " + destination.repository() + " while " + doing,
                        "create it under the repository's Settings > Environments (Rotor never creates environments), "
                                + "and check the token can see " + destination.repository());
                case REPOSITORY -> new StoreException(StoreException.Kind.NOT_FOUND, "repository " + destination.repository()
                        + " not found, or not visible to " + credentials.describe() + ", while " + doing,
                        "check the repository name; " + destination.permissionHint());
                case ORGANIZATION -> new StoreException(StoreException.Kind.NOT_FOUND, "organization " + destination.owner()
                        + " not found, or its " + destination.app() + " secrets are not visible to " + credentials.describe()
                        + ", while " + doing, destination.permissionHint());
            };
            case 422 -> new StoreException(StoreException.Kind.INVALID, "GitHub rejected " + doing + " at " + where
                    + " (422" + github + ")", "check the target's visibility and selected-repositories");
            default -> new StoreException(StoreException.Kind.FAILED, "GitHub answered " + response.status() + " to "
                    + doing + " at " + where + github);
        };
    }

    private Target target(Address address) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> scope = address.scope();
        for (String key : scope.keySet()) {
            if (!GithubProvider.TARGET_KEYS.contains(key)) {
                problems.add("unknown target key '" + key + "'");
            }
        }
        String nameProblem = GithubProvider.nameProblem(address.name());
        if (nameProblem != null) {
            problems.add(nameProblem);
        }
        String app = text(scope.get("app"), "actions").toLowerCase(Locale.ROOT);
        if (!APPS.contains(app)) {
            problems.add("app must be actions, dependabot or codespaces");
        }
        String environment = text(scope.get("environment"), null);
        String visibility = text(scope.get("visibility"), null);
        List<String> selected = list(scope.get("selected-repositories"));
        if (settings.organizationStore()) {
            if (environment != null) {
                problems.add("environment applies to repository stores, not to organization " + settings.organization());
            }
            if (visibility == null) {
                problems.add("an organization secret needs visibility: all, private or selected (Rotor never guesses it)");
            } else if (!VISIBILITIES.contains(visibility)) {
                problems.add("visibility must be all, private or selected");
            } else if ("selected".equals(visibility) && selected == null) {
                problems.add("visibility selected needs selected-repositories (writing without them would clear the list)");
            } else if (!"selected".equals(visibility) && selected != null) {
                problems.add("selected-repositories applies only with visibility selected");
            }
        } else {
            if (visibility != null || selected != null) {
                problems.add("visibility and selected-repositories apply to organization secrets only");
            }
            if (environment != null && !"actions".equals(app)) {
                problems.add("environment secrets are Actions secrets (app: actions)");
            }
        }
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (github) target "
                    + address.describe() + ": " + String.join("; ", problems), "see docs/github.md");
        }
        return new Target(address.name(), app, environment, visibility, selected);
    }

    private List<Destination> destinations(Target target) {
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

    /**
     * Runs {@code work} for every destination on at most {@code concurrency} threads, in order. With
     * {@code stopOnFatal}, rejected credentials or an exhausted retry budget stop the rest (reported not attempted).
     */
    private <T> List<Outcome<T>> parallel(Collection<Destination> destinations, Function<Destination, T> work, boolean stopOnFatal) {
        AtomicBoolean stop = new AtomicBoolean();
        Function<Destination, Outcome<T>> task = destination -> {
            if (stop.get()) {
                return new Outcome<>(destination, State.NOT_ATTEMPTED, null, null);
            }
            try {
                T value = work.apply(destination);
                return new Outcome<>(destination, value instanceof State s ? s : State.WRITTEN, value, null);
            } catch (StoreException e) {
                if (stopOnFatal && (e.transientFailure() || e instanceof CredentialsRejected)) {
                    stop.set(true);
                }
                return new Outcome<>(destination, State.FAILED, null, e);
            }
        };
        int threads = Math.min(settings.concurrency(), destinations.size());
        if (threads <= 1) {
            return destinations.stream().map(task).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "rotor-github");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (Destination destination : destinations) {
                futures.add(pool.submit(() -> task.apply(destination)));
            }
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted while writing to GitHub");
        } catch (ExecutionException e) {
            throw new StoreException(StoreException.Kind.FAILED, "GitHub write failed unexpectedly ("
                    + e.getCause().getClass().getSimpleName() + ")");
        } finally {
            pool.shutdownNow();
        }
    }

    private byte[] fingerprint(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(runKey, "HmacSHA256"));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable");
        }
    }

    private static String text(Object value, String fallback) {
        if (value == null || String.valueOf(value).isBlank()) {
            return fallback;
        }
        return String.valueOf(value).trim();
    }

    private static List<String> list(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> items) {
            return items.stream().map(item -> String.valueOf(item).trim()).toList();
        }
        return List.of(String.valueOf(value).trim());
    }
}
