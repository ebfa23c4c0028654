package dev.rotor.store.github;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * repository named in a {@code selected} organization secret; the write path is then one PUT per destination, a
 * delete one DELETE. GitHub secrets cannot be read back: the store is never a journal.
 */
public final class GithubStore implements Store {
    static final int MAX_VALUE_BYTES = 48 * 1024;

    private record PublicKey(String id, String key) {
    }

    private final String storeName;
    private final GithubSettings settings;
    private final GithubApi api;
    private final Credentials credentials;
    private final Consumer<String> progress;
    private final Map<String, Memo<PublicKey>> keys = new ConcurrentHashMap<>();
    private final Destinations destinations;
    private final FanOut fanOut;
    private final Map<String, byte[]> holding = new ConcurrentHashMap<>();
    private final byte[] runKey = new byte[32];

    GithubStore(String storeName, GithubSettings settings, GithubApi api, Credentials credentials, Consumer<String> progress) {
        this.storeName = storeName;
        this.settings = settings;
        this.api = api;
        this.credentials = credentials;
        this.progress = progress == null ? s -> { } : progress;
        RepositoryListing listing = new RepositoryListing(storeName, api, credentials,
                (owner, path) -> send("GET", owner, () -> credentials.ownerAuthorization(owner), path, null), this.progress);
        this.destinations = new Destinations(settings, listing, (at, path) -> call("GET", at, path, null), credentials);
        this.fanOut = new FanOut(settings.concurrency());
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
        List<GithubTarget> targets = new ArrayList<>();
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
        for (GithubTarget target : targets) {
            destinations.of(target).forEach(d -> scopes.putIfAbsent(d.base(), d));
            if (target.selected() != null) {
                selected.addAll(target.selected());
            }
        }
        List<StoreException> failures = new ArrayList<>();
        for (FanOut.Outcome<PublicKey> outcome : fanOut.run(scopes.values(), this::publicKey, false)) {
            if (outcome.error() != null) {
                failures.add(outcome.error());
            }
        }
        if (failures.isEmpty() && !selected.isEmpty()) {
            try {
                destinations.selectedIds(new ArrayList<>(selected));
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
        GithubTarget target = target(address);
        int size = value.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_VALUE_BYTES) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "': the value for " + target.name()
                    + " is " + size + " bytes; GitHub secrets hold at most 48 KB", "store a smaller value or a reference to it");
        }
        List<Long> ids = target.selected() == null ? null : destinations.selectedIds(target.selected());
        byte[] fingerprint = fingerprint(value);
        boolean changed = everywhere(target, "written", "holding the new value", "not holding it",
                "the same value is written to the rest", destination -> writeOne(destination, target, value, fingerprint, ids));
        return new Written(null, changed);
    }

    /**
     * DELETE of the secret at every destination of the target (repository, environment or organization secret, for
     * its app). GitHub answers 204. It answers 404 alike for a secret already gone and for a repository, environment
     * or organization it does not show this token; the scope's public key (cached since preflight) tells them apart,
     * so a typo or a missing permission is an error, never a silent "already gone".
     */
    @Override
    public void delete(Address address) {
        GithubTarget target = target(address);
        everywhere(target, "deleted", "deleted at", "still holding it", "the rest are deleted", destination -> {
            String path = destination.secretPath(target.name());
            GithubApi.Response response = call("DELETE", destination, path, null);
            holding.remove(path);
            if (response.status() == 404) {
                publicKey(destination);
                return FanOut.State.ALREADY;
            }
            if (response.status() != 204) {
                throw failure(destination, response, "deleting " + target.name());
            }
            return FanOut.State.WRITTEN;
        });
    }

    /**
     * Runs {@code one} at every destination of the target (progress lines say how many are {@code done}) and
     * returns whether any changed. A failure at the only destination is thrown as it is; at some of several, a
     * {@link PartialWriteException} names the destinations that are and are not done.
     */
    private boolean everywhere(GithubTarget target, String done, String doneAt, String notDoneAt, String rerun,
                               Function<Destination, FanOut.State> one) {
        List<Destination> all = destinations.of(target);
        int total = all.size();
        FanOutProgress lines = new FanOutProgress(total, done, target.name()
                + (target.environment() == null ? "" : ", environment " + target.environment()), progress);
        List<FanOut.Outcome<FanOut.State>> outcomes = fanOut.run(all, destination -> {
            try {
                FanOut.State state = one.apply(destination);
                lines.finished(true);
                return state;
            } catch (StoreException e) {
                lines.finished(false);
                throw e;
            }
        }, true);
        List<String> succeeded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        boolean changed = false;
        StoreException first = null;
        for (FanOut.Outcome<FanOut.State> outcome : outcomes) {
            String label = outcome.destination().label();
            if (outcome.error() == null && outcome.state() != FanOut.State.NOT_ATTEMPTED) {
                succeeded.add(label);
                changed |= outcome.value() == FanOut.State.WRITTEN;
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
            return changed;
        }
        if (total == 1) {
            throw first;
        }
        String holders = succeeded.isEmpty() ? "none" : succeeded.size() <= 20 ? String.join(", ", succeeded)
                : "every destination except the " + failed.size() + " below";
        throw new PartialWriteException(first.kind(), "store '" + storeName + "': " + target.name() + " " + done + " at "
                + succeeded.size() + " of " + total + " destinations; " + doneAt + ": " + holders + "; " + notDoneAt
                + ": " + String.join("; ", reasons), succeeded, failed,
                "fix the cause and re-run: " + rerun + ". " + first.suggestion());
    }

    /** The oldest {@code updated_at} over the target's destinations; empty when a destination lacks the secret. */
    @Override
    public Optional<Instant> updatedAt(Address address) {
        GithubTarget target = target(address);
        Instant oldest = null;
        for (FanOut.Outcome<Optional<Instant>> outcome : fanOut.run(destinations.of(target),
                d -> secretUpdatedAt(d, target.name()), false)) {
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

    private FanOut.State writeOne(Destination destination, GithubTarget target, String value, byte[] fingerprint,
                                  List<Long> ids) {
        String path = destination.secretPath(target.name());
        if (MessageDigest.isEqual(holding.get(path), fingerprint)) {
            return FanOut.State.ALREADY;
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
        return FanOut.State.WRITTEN;
    }

    private static String body(PublicKey key, String value, GithubTarget target, List<Long> ids, String app) {
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
        return GithubErrors.failure(destination, response, doing, credentials);
    }

    private GithubTarget target(Address address) {
        return GithubTarget.of(storeName, address, settings);
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
}
