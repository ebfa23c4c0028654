package dev.rotor.store.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

import dev.rotor.http.Time;
import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

/**
 * Keys of Secrets in one namespace. A write reads the Secret, changes its one key (and Rotor's
 * {@code rotor.dev/updated-at} annotation) and puts the whole object back with the resourceVersion it read: every
 * other key, label and annotation is kept, and a change by another writer in between (409) makes it read again
 * and re-apply, boundedly. A missing Secret is created (type Opaque). The journal of a unit is key
 * {@code journal} of its own Secret {@code PREFIX.UNIT}, so a unit's version is that Secret's resourceVersion and
 * {@link #writeIfVersion} is exactly Kubernetes' own optimistic concurrency. {@link #restart} rolls out the
 * workloads the addresses name ({@link Rollouts}).
 */
final class KubernetesStore implements Store {
    static final String UPDATED_AT = "rotor.dev/updated-at";
    static final String JOURNAL_KEY = "journal";
    static final String JOURNAL_LABEL = "rotor.dev/journal";
    private static final List<String> SECRET_VERBS = List.of("get", "create", "update");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> TIMES = new TypeReference<>() { };

    private final KubernetesSettings settings;
    private final KubeConnection kube;
    private final Clock clock;
    private final Rollouts rollouts;

    KubernetesStore(KubernetesSettings settings, KubeConnection kube, ProviderContext context, Time time) {
        this.settings = settings;
        this.kube = kube;
        this.clock = context.clock() == null ? Clock.systemUTC() : context.clock();
        this.rollouts = new Rollouts(kube, settings.rolloutTimeout(), clock, time,
                context.progress() == null ? line -> { } : context.progress());
    }

    @Override
    public Set<Capability> capabilities() {
        return KubernetesProvider.CAPABILITIES;
    }

    /**
     * Key {@code journal} of Secret {@code PREFIX.UNIT}: one Secret per unit, so that its resourceVersion is the
     * unit's version and no other unit's write makes it stale. A unit name that makes no Secret name is
     * lower-cased, other characters become '-', and a digest of the name keeps two such units apart.
     */
    @Override
    public Address journalAddress(String unit) {
        String secret = settings.journalPrefix() + "." + unit;
        if (!ClusterSettings.objectName(secret)) {
            String name = unit.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
            secret = settings.journalPrefix() + "." + (name.isEmpty() ? "" : name.substring(0, Math.min(name.length(), 180))
                    .replaceAll("-$", "") + "-") + digest(unit);
        }
        return new Address(JOURNAL_KEY, Map.of("secret", secret));
    }

    @Override
    public void preflight(List<Address> addresses) {
        boolean anyAbsent = false;
        for (String name : new LinkedHashSet<>(addresses.stream().map(this::secretOf).toList())) {
            anyAbsent |= get(name) == null;
        }
        if (anyAbsent) {
            checkNamespace();
        }
        rollouts.preflight(workloads(addresses));
    }

    /** A Secret Rotor will create needs its namespace; an identity that may not read namespaces learns it on create. */
    private void checkNamespace() {
        try {
            if (kube.client().namespaces().withName(kube.namespace()).get() == null) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, kube.label() + ": namespace " + kube.namespace()
                        + " does not exist", "create it (kubectl create namespace " + kube.namespace()
                        + ") or set namespace: to the one the Secrets live in");
            }
        } catch (KubernetesClientException e) {
            // 401/403: reading namespaces is not needed otherwise; other failures show on the first request
        }
    }

    @Override
    public Optional<Stored> read(Address address) {
        String key = keyOf(address);
        Secret secret = get(secretOf(address));
        String held = secret == null || secret.getData() == null ? null : secret.getData().get(key);
        if (held == null) {
            return Optional.empty();
        }
        return Optional.of(new Stored(decode(held), secret.getMetadata().getResourceVersion(), updatedAt(secret, key)));
    }

    @Override
    public Written write(Address address, String value) {
        String key = keyOf(address);
        String name = secretOf(address);
        String encoded = encode(value);
        return kube.sendUntilApplied(op("update", name), () -> {
            Secret current = get(name); // a refusal of the read names the verb get
            if (current == null) {
                return create(name, key, encoded, isJournal(address));
            }
            if (encoded.equals(data(current).get(key))) {
                return Optional.of(new Written(current.getMetadata().getResourceVersion(), false));
            }
            return update(current, key, encoded);
        });
    }

    @Override
    public Written writeIfVersion(Address address, String value, String expectedVersion) {
        String key = keyOf(address);
        String name = secretOf(address);
        String encoded = encode(value);
        return kube.send(op("update", name), () -> {
            Secret current = get(name); // a refusal of the read names the verb get
            String held = current == null ? null : data(current).get(key);
            String version = current == null ? null : current.getMetadata().getResourceVersion();
            boolean matches = expectedVersion == null ? held == null : held != null && expectedVersion.equals(version);
            if (!matches) {
                throw conflict(name, key);
            }
            if (encoded.equals(held)) {
                return new Written(version, false);
            }
            Optional<Written> written = current == null ? create(name, key, encoded, isJournal(address))
                    : update(current, key, encoded);
            return written.orElseThrow(() -> conflict(name, key));
        });
    }

    /** Removes one key (and its update time), the other keys kept, with the same conditioned read-modify-write. */
    @Override
    public void delete(Address address) {
        String key = keyOf(address);
        String name = secretOf(address);
        kube.sendUntilApplied(op("update", name), () -> {
            Secret current = get(name); // a refusal of the read names the verb get
            if (current == null || !data(current).containsKey(key)) {
                return Optional.of(Boolean.TRUE);
            }
            current.getData().remove(key);
            Map<String, String> times = times(current);
            times.remove(key);
            annotate(current, times);
            return put(current).map(written -> Boolean.TRUE);
        });
    }

    @Override
    public void restart(List<Address> addresses) {
        rollouts.restart(workloads(addresses));
    }

    /** The workloads the addresses' {@code restart:} name, each once, in the order first named. */
    private List<Workload> workloads(List<Address> addresses) {
        Set<Workload> out = new LinkedHashSet<>();
        for (Address address : addresses) {
            try {
                out.addAll(Workload.parse(address.scope().get("restart")));
            } catch (IllegalArgumentException e) {
                throw new StoreException(StoreException.Kind.INVALID, kube.label() + ": target " + address.name() + ": "
                        + e.getMessage(), "see docs/kubernetes.md");
            }
        }
        return List.copyOf(out);
    }

    private Optional<Written> create(String name, String key, String encoded, boolean journal) {
        Secret secret = new Secret();
        secret.setApiVersion("v1");
        secret.setKind("Secret");
        secret.setType("Opaque");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(kube.namespace());
        if (journal) {
            meta.setLabels(new LinkedHashMap<>(Map.of("app.kubernetes.io/managed-by", "rotor", JOURNAL_LABEL, "true")));
        }
        secret.setMetadata(meta);
        secret.setData(new LinkedHashMap<>(Map.of(key, encoded)));
        annotate(secret, new TreeMap<>(Map.of(key, now())));
        try {
            return Optional.of(new Written(secrets().resource(secret).create().getMetadata().getResourceVersion(), true));
        } catch (KubernetesClientException e) {
            if (KubeConnection.conflict(e)) {
                return Optional.empty(); // created by another writer since the read: read it again
            }
            if (KubeConnection.notFound(e)) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, kube.label() + ": namespace "
                        + kube.namespace() + " does not exist (creating secrets/" + name + " found no namespace)",
                        "create it (kubectl create namespace " + kube.namespace() + ") or set namespace:");
            }
            throw e;
        }
    }

    /** Sets one key of a Secret read with its resourceVersion; empty when another writer changed it meanwhile. */
    private Optional<Written> update(Secret current, String key, String encoded) {
        if (Boolean.TRUE.equals(current.getImmutable())) {
            throw new StoreException(StoreException.Kind.INVALID, kube.label() + ": secrets/"
                    + current.getMetadata().getName() + " in namespace " + kube.namespace() + " is immutable",
                    "an immutable Secret cannot change: delete and recreate it, or point the target at another one");
        }
        Map<String, String> data = new LinkedHashMap<>(data(current));
        data.put(key, encoded);
        current.setData(data);
        Map<String, String> times = times(current);
        times.put(key, now());
        annotate(current, times);
        return put(current).map(rv -> new Written(rv, true));
    }

    /** PUT of the whole object with the resourceVersion it was read at: its new resourceVersion, or empty on 409. */
    private Optional<String> put(Secret changed) {
        try {
            return Optional.of(secrets().resource(changed).update().getMetadata().getResourceVersion());
        } catch (KubernetesClientException e) {
            if (KubeConnection.conflict(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Resource<Secret> resource(String name) {
        return secrets().withName(name);
    }

    private NonNamespaceOperation<Secret, SecretList, Resource<Secret>> secrets() {
        return kube.client().secrets().inNamespace(kube.namespace());
    }

    /** The Secret, or null when absent. */
    private Secret get(String name) {
        return kube.send(op("get", name), () -> resource(name).get());
    }

    private KubeConnection.Op op(String verb, String name) {
        return new KubeConnection.Op(verb, "", "secrets", name, SECRET_VERBS);
    }

    private StoreException conflict(String name, String key) {
        return new StoreException(StoreException.Kind.CONFLICT, kube.label() + ": key " + key + " of secrets/" + name
                + " in namespace " + kube.namespace() + " changed since it was read (another run?)");
    }

    private boolean isJournal(Address address) {
        return JOURNAL_KEY.equals(address.name())
                && String.valueOf(address.scope().get("secret")).startsWith(settings.journalPrefix() + ".");
    }

    private static Map<String, String> data(Secret secret) {
        return secret.getData() == null ? Map.of() : secret.getData();
    }

    /** Rotor's record of when it last wrote each key: one annotation, a JSON object of key to instant. */
    private static Map<String, String> times(Secret secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        String json = annotations == null ? null : annotations.get(UPDATED_AT);
        if (json == null) {
            return new TreeMap<>();
        }
        try {
            return JSON.readValue(json, TIMES);
        } catch (JsonProcessingException e) {
            return new TreeMap<>(); // edited by hand into something else: Rotor's next write puts it right
        }
    }

    private static void annotate(Secret secret, Map<String, String> times) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(secret.getMetadata().getAnnotations());
        if (times.isEmpty()) {
            annotations.remove(UPDATED_AT);
        } else {
            try {
                annotations.put(UPDATED_AT, JSON.writeValueAsString(times));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        secret.getMetadata().setAnnotations(annotations);
    }

    private static Instant updatedAt(Secret secret, String key) {
        String text = times(secret).get(key);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private String secretOf(Address address) {
        Object secret = address.scope().get("secret");
        String name = secret == null ? null : String.valueOf(secret).trim();
        if (!ClusterSettings.objectName(name)) {
            throw new StoreException(StoreException.Kind.INVALID, kube.label() + ": target " + address.name()
                    + (secret == null ? " has no secret" : " names secret '" + name + "', which is not a Secret name"),
                    "give the target `secret:` (the Secret's name, e.g. jwt-keys) and `name:` (its key)");
        }
        return name;
    }

    private String keyOf(Address address) {
        String problem = KubernetesProvider.keyProblem(address.name());
        if (problem != null) {
            throw new StoreException(StoreException.Kind.INVALID, kube.label() + ": target '" + address.name() + "': "
                    + problem);
        }
        return address.name();
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String data) {
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }

    private static String digest(String unit) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(unit.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
