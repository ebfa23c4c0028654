package dev.rotor.store.externalsecrets;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.Resource;

import dev.rotor.http.Time;
import dev.rotor.manifest.Durations;
import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;
import dev.rotor.store.kubernetes.KubeConnection;

/**
 * ExternalSecrets in one namespace. A write holds nothing (the value went to the cloud store the ExternalSecret
 * reads, by an earlier target); {@link #restart} annotates each named ExternalSecret with {@code force-sync: <epoch
 * seconds>}, the annotation the operator watches (as {@code kubectl annotate es NAME force-sync=$(date +%s)
 * --overwrite}), and waits until its status shows a sync that began after the request: {@code syncedResourceVersion}
 * changed (the operator derives it from the annotations) or {@code refreshTime} later than before, with condition
 * {@code Ready} True. Both times come from the cluster's clock, so a runner's skewed clock cannot mislead it.
 */
final class ExternalSecretsStore implements Store {
    static final String FORCE_SYNC = "force-sync";
    private static final List<String> VERBS = List.of("get", "patch");
    private static final Duration LONGEST_POLL = Duration.ofSeconds(2);

    /** What the status said before the sync was asked for. */
    private record Before(String name, Instant refreshTime, String syncedVersion) {
    }

    private final ExternalSecretsSettings settings;
    private final KubeConnection kube;
    private final Time time;
    private final java.time.Clock clock;
    private final Consumer<String> progress;

    ExternalSecretsStore(ExternalSecretsSettings settings, String label, ProviderContext context, Time time) {
        this.settings = settings;
        this.kube = KubeConnection.open(label, settings.cluster(), context, time);
        this.time = time;
        this.clock = context.clock() == null ? java.time.Clock.systemUTC() : context.clock();
        this.progress = context.progress() == null ? line -> { } : context.progress();
    }

    @Override
    public Set<Capability> capabilities() {
        return ExternalSecretsProvider.CAPABILITIES;
    }

    /** Every named ExternalSecret exists and may be read. Nothing is written. */
    @Override
    public void preflight(List<Address> addresses) {
        names(addresses).forEach(this::getExisting);
    }

    /** Not readable: the value lives in the cloud store and in the Secret the operator writes. */
    @Override
    public Optional<Stored> read(Address address) {
        return Optional.empty();
    }

    /** Holds no value: the sync happens in {@link #restart}, once every target of the unit was written. */
    @Override
    public Written write(Address address, String value) {
        nameOf(address);
        return new Written(null, false);
    }

    @Override
    public void restart(List<Address> addresses) {
        List<Before> asked = new java.util.ArrayList<>();
        for (String name : names(addresses)) {
            GenericKubernetesResource current = getExisting(name);
            Before before = new Before(name, refreshTime(current), text(current, "syncedResourceVersion"));
            String patch = "{\"metadata\":{\"annotations\":{\"" + FORCE_SYNC + "\":\"" + clock.instant().getEpochSecond()
                    + "\"}}}";
            kube.mergePatch(op("patch", name), resource(name), patch);
            progress.accept(kube.label() + ": asked ExternalSecret " + name + " in namespace " + kube.namespace()
                    + " to sync (" + FORCE_SYNC + ")");
            asked.add(before);
        }
        long deadline = System.nanoTime() + settings.syncTimeout().toNanos();
        for (Before before : asked) {
            await(before, deadline);
        }
    }

    private void await(Before before, long deadline) {
        Duration timeout = settings.syncTimeout();
        Duration poll = timeout.dividedBy(10).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : timeout.dividedBy(10);
        while (true) {
            GenericKubernetesResource current = getExisting(before.name());
            String missing = missing(before, current);
            if (missing == null) {
                progress.accept(kube.label() + ": ExternalSecret " + before.name() + " synced");
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new StoreException(StoreException.Kind.FAILED, kube.label() + ": ExternalSecret " + before.name()
                        + " in namespace " + kube.namespace() + " did not sync within " + Durations.format(timeout)
                        + " of " + FORCE_SYNC + ": " + missing,
                        "see kubectl describe externalsecret " + before.name() + " -n " + kube.namespace()
                                + " (is the operator running, may its SecretStore read the cloud value?); the cloud "
                                + "store holds the new value: the rotate Rotor prints finishes once it syncs");
            }
            kube.pause(time, poll, "ExternalSecret " + before.name() + " to sync");
        }
    }

    /** What the status still lacks for a sync after the request, or null once it shows one. */
    static String missing(Before before, GenericKubernetesResource current) {
        Instant refreshed = refreshTime(current);
        String synced = text(current, "syncedResourceVersion");
        boolean newer = (synced != null && !synced.equals(before.syncedVersion()))
                || (refreshed != null && (before.refreshTime() == null || refreshed.isAfter(before.refreshTime())));
        Map<String, Object> ready = readyCondition(current);
        boolean isReady = ready != null && "True".equals(ready.get("status"));
        if (newer && isReady) {
            return null;
        }
        String readiness = ready == null ? "it reports no Ready condition" : "Ready is " + ready.get("status")
                + (ready.get("reason") == null ? "" : " (" + ready.get("reason") + ")");
        return newer ? readiness : "its status shows no sync since it was asked (refreshTime "
                + (refreshed == null ? "unset" : refreshed.toString()) + "); " + readiness;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readyCondition(GenericKubernetesResource object) {
        Object conditions = object.get("status", "conditions");
        if (conditions instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map && "Ready".equals(map.get("type"))) {
                    return (Map<String, Object>) map;
                }
            }
        }
        return null;
    }

    private static Instant refreshTime(GenericKubernetesResource object) {
        String text = text(object, "refreshTime");
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(GenericKubernetesResource object, String statusField) {
        Object value = object.get("status", statusField);
        return value == null ? null : Objects.toString(value);
    }

    private GenericKubernetesResource getExisting(String name) {
        GenericKubernetesResource found = kube.send(op("get", name), () -> resource(name).get());
        if (found == null) {
            throw new StoreException(StoreException.Kind.NOT_FOUND, kube.label() + ": ExternalSecret " + name
                    + " does not exist in namespace " + kube.namespace() + " (" + ExternalSecretsSettings.GROUP + "/"
                    + settings.version() + ")", "check it with kubectl get externalsecrets -n " + kube.namespace()
                    + ", and api-version: the version the operator serves");
        }
        return found;
    }

    private Resource<GenericKubernetesResource> resource(String name) {
        return kube.generic(ExternalSecretsSettings.GROUP, settings.version(), "externalsecrets", "ExternalSecret", name);
    }

    private KubeConnection.Op op(String verb, String name) {
        return new KubeConnection.Op(verb, ExternalSecretsSettings.GROUP, "externalsecrets", name, VERBS);
    }

    private static List<String> names(List<Address> addresses) {
        Set<String> out = new LinkedHashSet<>();
        addresses.forEach(a -> out.add(nameOf(a)));
        return List.copyOf(out);
    }

    private static String nameOf(Address address) {
        Object name = address.scope().get("external-secret");
        if (name == null || !dev.rotor.store.kubernetes.ClusterSettings.objectName(String.valueOf(name))) {
            throw new StoreException(StoreException.Kind.INVALID, "target " + address.name() + " of an external-secrets "
                    + "store needs external-secret: NAME (the ExternalSecret to sync)", ExternalSecretsSettings.DOCS);
        }
        return String.valueOf(name);
    }
}
