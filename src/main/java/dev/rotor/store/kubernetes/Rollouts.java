package dev.rotor.store.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.Resource;

import dev.rotor.http.Time;
import dev.rotor.manifest.Durations;
import dev.rotor.store.StoreException;

/**
 * Restarts workloads as {@code kubectl rollout restart} does (a merge patch of the pod template's
 * {@code kubectl.kubernetes.io/restartedAt} annotation, so the controller rolls every pod) and waits as
 * {@code kubectl rollout status} does, until the controller observed the change and every replica is updated, ready
 * and available, or the rollout timeout passes. Workloads are read as generic objects: the three kinds' status
 * fields differ, and no API discovery is needed.
 */
final class Rollouts {
    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    private static final List<String> VERBS = List.of("get", "patch");
    private static final Duration LONGEST_POLL = Duration.ofSeconds(2);

    private final KubeConnection kube;
    private final Duration timeout;
    private final Clock clock;
    private final Time time;
    private final Consumer<String> progress;

    Rollouts(KubeConnection kube, Duration timeout, Clock clock, Time time, Consumer<String> progress) {
        this.kube = kube;
        this.timeout = timeout;
        this.clock = clock;
        this.time = time;
        this.progress = progress;
    }

    /** Each workload exists, may be read, and rolls its pods on a template change. Nothing is written. */
    void preflight(List<Workload> workloads) {
        found(workloads);
    }

    /** Each workload as it is now, checked as {@link #preflight} says. */
    private java.util.Map<Workload, GenericKubernetesResource> found(List<Workload> workloads) {
        java.util.Map<Workload, GenericKubernetesResource> all = new java.util.LinkedHashMap<>();
        for (Workload workload : workloads) {
            GenericKubernetesResource found = kube.send(op("get", workload), () -> resource(workload).get());
            if (found == null) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, kube.label() + ": " + workload.describe()
                        + " does not exist in namespace " + kube.namespace() + " (named by restart:)",
                        "check the name with kubectl get " + workload.kind().plural + " -n " + kube.namespace());
            }
            refuseOnDelete(workload, found);
            all.put(workload, found);
        }
        return all;
    }

    /**
     * The restartedAt value for a workload: now, to the second as kubectl writes it; but later than the value it
     * holds, since a template left unchanged (two restarts within one second) rolls no pod.
     */
    private String restartedAt(GenericKubernetesResource found) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Object held = found.get("spec", "template", "metadata", "annotations", RESTARTED_AT);
        try {
            Instant previous = held == null ? null : Instant.parse(held.toString());
            return (previous != null && !now.isAfter(previous) ? previous.plusSeconds(1) : now).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return now.toString(); // set by hand in another form: any new value changes the template
        }
    }

    /** Checks every workload first (none is restarted when one cannot be), restarts each, then awaits each rollout. */
    void restart(List<Workload> workloads) {
        if (workloads.isEmpty()) {
            return;
        }
        java.util.Map<Workload, GenericKubernetesResource> found = found(workloads);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Workload workload : workloads) {
            String patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT + "\":\""
                    + restartedAt(found.get(workload)) + "\"}}}}}";
            kube.mergePatch(op("patch", workload), resource(workload), patch);
            progress.accept(kube.label() + ": restarted " + workload.describe() + " in namespace " + kube.namespace());
        }
        for (Workload workload : workloads) {
            await(workload, deadline);
        }
    }

    private void await(Workload workload, long deadline) {
        Duration poll = timeout.dividedBy(10).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : timeout.dividedBy(10);
        while (true) {
            GenericKubernetesResource current = kube.send(op("get", workload), () -> resource(workload).get());
            String missing = current == null ? "it no longer exists" : missing(workload, current);
            if (missing == null) {
                progress.accept(kube.label() + ": " + workload.describe() + " rolled out");
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new StoreException(StoreException.Kind.FAILED, kube.label() + ": " + workload.describe()
                        + " in namespace " + kube.namespace() + " did not finish its rollout within "
                        + Durations.format(timeout) + ": " + missing,
                        "see kubectl rollout status " + workload.describe() + " -n " + kube.namespace()
                                + " and kubectl describe " + workload.describe() + " -n " + kube.namespace()
                                + "; the Secret holds the new value: the rotate Rotor prints finishes once it rolls out");
            }
            kube.pause(time, poll, workload.describe() + " to roll out");
        }
    }

    /**
     * What the rollout still lacks, as {@code kubectl rollout status} judges it, or null once complete: the
     * controller observed the latest generation, and every desired replica is updated, ready and available.
     */
    static String missing(Workload workload, GenericKubernetesResource object) {
        long generation = object.getMetadata().getGeneration() == null ? 0 : object.getMetadata().getGeneration();
        long observed = number(object, "status", "observedGeneration", 0);
        if (observed < generation) {
            return "the controller has not observed generation " + generation + " yet (observedGeneration " + observed
                    + ")";
        }
        List<String> lacking = new ArrayList<>();
        switch (workload.kind()) {
            case DEPLOYMENT -> {
                long desired = number(object, "spec", "replicas", 1);
                long updated = number(object, "status", "updatedReplicas", 0);
                long total = number(object, "status", "replicas", 0);
                shortOf(lacking, "updated", updated, desired);
                if (total > updated) {
                    lacking.add((total - updated) + " old replicas pending termination");
                }
                shortOf(lacking, "ready", number(object, "status", "readyReplicas", 0), desired);
                shortOf(lacking, "available", number(object, "status", "availableReplicas", 0), desired);
            }
            case STATEFULSET -> {
                long desired = number(object, "spec", "replicas", 1);
                Object partition = object.get("spec", "updateStrategy", "rollingUpdate", "partition");
                long unpartitioned = desired - (partition instanceof Number n ? n.longValue() : 0);
                shortOf(lacking, "updated", number(object, "status", "updatedReplicas", 0), unpartitioned);
                shortOf(lacking, "ready", number(object, "status", "readyReplicas", 0), desired);
                shortOf(lacking, "available", number(object, "status", "availableReplicas", 0), desired);
                Object current = object.get("status", "currentRevision");
                Object update = object.get("status", "updateRevision");
                if (unpartitioned == desired && update != null && !update.equals(current)) {
                    lacking.add("pods still on revision " + current + ", not " + update);
                }
            }
            case DAEMONSET -> {
                long desired = number(object, "status", "desiredNumberScheduled", 0);
                shortOf(lacking, "updated", number(object, "status", "updatedNumberScheduled", 0), desired);
                shortOf(lacking, "ready", number(object, "status", "numberReady", 0), desired);
                shortOf(lacking, "available", number(object, "status", "numberAvailable", 0), desired);
            }
        }
        return lacking.isEmpty() ? null : String.join(", ", lacking);
    }

    private static void shortOf(List<String> lacking, String what, long have, long desired) {
        if (have < desired) {
            lacking.add(have + " of " + desired + " replicas " + what);
        }
    }

    /** A StatefulSet or DaemonSet with {@code updateStrategy: OnDelete} restarts no pod on a template change. */
    private void refuseOnDelete(Workload workload, GenericKubernetesResource object) {
        if ("OnDelete".equals(object.get("spec", "updateStrategy", "type"))) {
            throw new StoreException(StoreException.Kind.INVALID, kube.label() + ": " + workload.describe()
                    + " in namespace " + kube.namespace() + " has updateStrategy OnDelete: a restart would roll no pod",
                    "give it updateStrategy RollingUpdate, or restart its pods yourself and drop it from restart:");
        }
    }

    private static long number(GenericKubernetesResource object, String part, String field, long fallback) {
        Object section = object.getAdditionalProperties().get(part);
        Object value = section instanceof Map<?, ?> map ? map.get(field) : null;
        return value instanceof Number n ? n.longValue() : fallback;
    }

    private Resource<GenericKubernetesResource> resource(Workload workload) {
        return kube.generic("apps", "v1", workload.kind().plural, workload.kind().apiKind, workload.name());
    }

    private KubeConnection.Op op(String verb, Workload workload) {
        return new KubeConnection.Op(verb, "apps", workload.kind().plural, workload.name(), VERBS);
    }
}
