package dev.rotor.store.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import dev.rotor.http.Retry;
import dev.rotor.http.Time;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;

/**
 * A fabric8 client for one store, shared by the Kubernetes types: the credentials {@link ClusterSettings} chooses,
 * read from the run's environment (never from the JVM's own, so a test or a wrapper decides), fabric8's own retries
 * off so that every resend goes through Rotor's bounded {@link Retry} (promise 11), and API errors turned into
 * {@link StoreException}s naming the verb, the resource, the namespace and the RBAC rule that is missing.
 */
public final class KubeConnection {
    /** Transient failures (connection lost, 5xx, 429) and conflicts: six attempts in all. */
    static final Retry.Policy TRANSIENT = new Retry.Policy(6, Duration.ofMillis(100), Duration.ofSeconds(2), 0);
    private static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount/";

    /**
     * One API operation, for messages and RBAC advice: {@code verb} on {@code resource} (plural, in API group
     * {@code group}) named {@code name}; {@code needed} are all the verbs the store needs on that resource.
     */
    public record Op(String verb, String group, String resource, String name, List<String> needed) {
        String describe() {
            return verb + " " + resource + "/" + name;
        }
    }

    private final String label;
    private final KubernetesClient client;
    private final String namespace;
    private final Retry retry;

    private KubeConnection(String label, KubernetesClient client, String namespace, Retry retry) {
        this.label = label;
        this.client = client;
        this.namespace = namespace;
        this.retry = retry;
    }

    /** Opens a client without a request: credentials are first used by preflight. */
    public static KubeConnection open(String label, ClusterSettings settings, ProviderContext context, Time time) {
        Map<String, String> environment = context.environment() == null ? Map.of() : context.environment();
        Config config = config(label, settings, environment);
        String namespace = settings.namespace() != null ? settings.namespace()
                : config.getNamespace() != null ? config.getNamespace() : "default";
        config.setNamespace(namespace);
        config.setRequestRetryBackoffLimit(0);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
        return new KubeConnection(label, client, namespace,
                new Retry(label, TRANSIENT, time, context.progress(), context.resends()));
    }

    private static Config config(String label, ClusterSettings settings, Map<String, String> environment) {
        if (settings.server() != null) {
            Config config = Config.empty();
            config.setMasterUrl(settings.server());
            config.setOauthToken(settings.token());
            if (settings.caBundle() != null) {
                config.setCaCertFile(settings.caBundle().toString());
            }
            return config;
        }
        Path kubeconfig = kubeconfig(settings, environment);
        if (kubeconfig != null) {
            try {
                return Config.fromKubeconfig(settings.context(), Files.readString(kubeconfig), kubeconfig.toString());
            } catch (IOException | UncheckedIOException e) {
                throw new StoreException(StoreException.Kind.INVALID, label + ": kubeconfig " + kubeconfig
                        + " could not be read", "check the file's path and permissions");
            } catch (RuntimeException e) {
                throw new StoreException(StoreException.Kind.INVALID, label + ": kubeconfig " + kubeconfig
                        + " could not be used" + (settings.context() == null ? "" : " with context '"
                        + settings.context() + "'"), "list its contexts with kubectl config get-contexts --kubeconfig "
                        + kubeconfig);
            }
        }
        String host = environment.get("KUBERNETES_SERVICE_HOST");
        Path token = Path.of(SERVICE_ACCOUNT + "token");
        if (host != null && Files.isReadable(token)) {
            Config config = Config.empty();
            String port = environment.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
            config.setMasterUrl("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
            config.setCaCertFile(SERVICE_ACCOUNT + "ca.crt");
            // a projected token is renewed on disk: read it for every request
            config.setOauthTokenProvider(() -> {
                try {
                    return Files.readString(token).trim();
                } catch (IOException e) {
                    throw new StoreException(StoreException.Kind.PERMISSION, label + ": the service account token "
                            + token + " could not be read");
                }
            });
            try {
                config.setNamespace(Files.readString(Path.of(SERVICE_ACCOUNT + "namespace")).trim());
            } catch (IOException e) {
                // the namespace setting or "default" applies
            }
            return config;
        }
        throw new StoreException(StoreException.Kind.INVALID, label + ": no Kubernetes credentials: no kubeconfig ("
                + "setting kubeconfig, KUBECONFIG or ~/.kube/config), not inside a cluster, and no server with token",
                "set kubeconfig (and context), run in a pod with a service account, or set server and "
                        + "token: ${env:K8S_TOKEN} (see docs/kubernetes.md)");
    }

    /** The kubeconfig setting, else the first file of KUBECONFIG, else ~/.kube/config if it exists. */
    private static Path kubeconfig(ClusterSettings settings, Map<String, String> environment) {
        if (settings.kubeconfig() != null) {
            return settings.kubeconfig();
        }
        String variable = environment.get("KUBECONFIG");
        if (variable != null && !variable.isBlank()) {
            for (String file : variable.split(java.io.File.pathSeparator)) {
                if (!file.isBlank() && Files.exists(Path.of(file))) {
                    return Path.of(file);
                }
            }
        }
        String home = environment.get("HOME");
        Path standard = home == null ? null : Path.of(home, ".kube", "config");
        return standard != null && Files.exists(standard) ? standard : null;
    }

    public KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    /** How messages name the store, e.g. {@code store 'k8s' (kubernetes)}. */
    public String label() {
        return label;
    }

    /** Objects of a kind named without API discovery (the CRUD mock and a locked-down identity have none). */
    public Resource<GenericKubernetesResource> generic(String group, String version, String plural, String kind,
                                                       String name) {
        ResourceDefinitionContext type = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
                .withPlural(plural).withKind(kind).withNamespaced(true).build();
        return client.genericKubernetesResources(type).inNamespace(namespace).withName(name);
    }

    /** A JSON merge patch of one generic object (an annotation), as {@code kubectl annotate} and rollout restart do. */
    public GenericKubernetesResource mergePatch(Op op, Resource<GenericKubernetesResource> resource, String patch) {
        return send(op, () -> resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    }

    /** One request, sent again after a transient failure (boundedly); any other failure is a StoreException. */
    public <T> T send(Op op, Supplier<T> request) {
        return loop(op, () -> Retry.Outcome.answer(request.get()));
    }

    /**
     * A read-modify-write: {@code attempt} reads, changes and writes conditioned on what it read (the resourceVersion),
     * and answers empty when the write met a conflict (409: another writer came between). It runs again from its read
     * after a conflict or a transient failure, boundedly; then a CONFLICT names the object. Rotor's one retry loop
     * fits: a conflict is one more failure that is worth another attempt.
     */
    public <T> T sendUntilApplied(Op op, Supplier<Optional<T>> attempt) {
        return loop(op, () -> attempt.get().map(Retry.Outcome::answer)
                .orElseGet(() -> Retry.Outcome.failed(CONFLICT_MET, Optional.empty())));
    }

    private static final String CONFLICT_MET = "met a concurrent change (409 Conflict), reading it again";

    private <T> T loop(Op op, Supplier<Retry.Outcome<T>> attempt) {
        try {
            return retry.send(op.verb().toUpperCase(java.util.Locale.ROOT), op.resource() + "/" + op.name(), () -> {
                try {
                    return attempt.get();
                } catch (KubernetesClientException e) {
                    if (transientFailure(e)) {
                        return Retry.Outcome.failed(describe(e), Optional.empty());
                    }
                    throw failure(op, e);
                }
            }, (last, times) -> CONFLICT_MET.equals(last.failure())
                    ? new StoreException(StoreException.Kind.CONFLICT, label + ": " + op.resource() + "/" + op.name()
                    + " in namespace " + namespace + " changed under each of " + times + " attempts to " + op.verb()
                    + " it", "re-run when its other writers are done")
                    : new StoreException(StoreException.Kind.TRANSIENT, label + ": could not " + op.describe()
                    + " in namespace " + namespace + " (" + last.failure() + ", " + times + " times)",
                    "check that the API server is reachable from here and re-run"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, label + ": interrupted during " + op.describe());
        }
    }

    /** Whether a failed request was a conflict (409): the object changed, or already exists, since it was read. */
    public static boolean conflict(KubernetesClientException e) {
        return e.getCode() == 409;
    }

    /** Whether an object is absent (404). */
    public static boolean notFound(KubernetesClientException e) {
        return e.getCode() == 404;
    }

    private static boolean transientFailure(KubernetesClientException e) {
        int code = e.getCode();
        return code == 0 || code == 429 || code >= 500;
    }

    private static String describe(KubernetesClientException e) {
        return e.getCode() == 0 ? "could not be reached" : "answered " + e.getCode();
    }

    /** The exception for a refused request: names, the RBAC rule to add, never a body (it may echo a value). */
    public StoreException failure(Op op, KubernetesClientException e) {
        String where = " in namespace " + namespace;
        String rule = "add to a Role in namespace " + namespace + " bound to the identity Rotor runs as: apiGroups: [\""
                + op.group() + "\"], resources: [\"" + op.resource() + "\"], verbs: [" + String.join(", ",
                op.needed().stream().map(v -> "\"" + v + "\"").toList()) + "] (see docs/kubernetes.md)";
        return switch (e.getCode()) {
            case 401 -> new StoreException(StoreException.Kind.PERMISSION, label + ": the API server refused the "
                    + "credentials (401 Unauthorized) to " + op.describe() + where,
                    "the token or the kubeconfig's user has expired or is wrong: log in again or renew the token");
            case 403 -> new StoreException(StoreException.Kind.PERMISSION, label + ": forbidden to " + op.describe()
                    + where + " (403): " + op.resource() + ": " + op.verb() + " is not granted", rule);
            case 404 -> new StoreException(StoreException.Kind.NOT_FOUND, label + ": " + op.describe() + where
                    + " found nothing (404): does namespace " + namespace + " exist, and " + op.resource() + "/"
                    + op.name() + " in it?", "check with kubectl get " + op.resource() + " -n " + namespace);
            case 409 -> new StoreException(StoreException.Kind.CONFLICT, label + ": " + op.resource() + "/" + op.name()
                    + where + " changed since it was read (409 Conflict)", "re-run when its other writers are done");
            case 422, 400 -> new StoreException(StoreException.Kind.INVALID, label + ": the API server refused to "
                    + op.describe() + where + " (" + e.getCode() + " Invalid)", "check the names in the manifest");
            default -> new StoreException(StoreException.Kind.FAILED, label + ": could not " + op.describe() + where
                    + " (" + describe(e) + ")");
        };
    }

    /** Sleeps between polls; an interruption is a transient failure naming what was awaited. */
    public void pause(Time time, Duration duration, String awaiting) {
        try {
            time.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, label + ": interrupted while waiting for " + awaiting);
        }
    }
}
