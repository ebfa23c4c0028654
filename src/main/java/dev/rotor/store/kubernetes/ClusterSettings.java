package dev.rotor.store.kubernetes;

import static dev.rotor.azure.AzureSettings.text;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.rotor.manifest.Durations;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.manifest.Template;

/**
 * How Rotor reaches a cluster, shared by {@code type: kubernetes} and {@code type: external-secrets}: a kubeconfig
 * (the file named by {@code kubeconfig}, else {@code KUBECONFIG}, else {@code ~/.kube/config}, with its
 * {@code context}), the in-cluster service account, or {@code server} with a {@code token} from the environment.
 * No client type here: validate reads it before any store is opened. The token is kept out of {@link #toString()}.
 */
public record ClusterSettings(String namespace, String context, Path kubeconfig, String server, String token,
                              Path caBundle) {
    /** The setting keys every Kubernetes type takes. */
    public static final Set<String> KEYS = Set.of("namespace", "context", "kubeconfig", "server", "token", "ca-bundle");
    /** A namespace: an RFC 1123 label. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** An object name: an RFC 1123 subdomain (Secrets, Deployments, ExternalSecrets). */
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    @Override
    public String toString() {
        return "ClusterSettings[namespace=" + namespace + ", context=" + context + ", kubeconfig=" + kubeconfig
                + ", server=" + server + ", token=" + (token == null ? "none" : "***") + "]";
    }

    /** Reads the connection keys; {@code baseDirectory} null: the manifest alone (validate). */
    public static ClusterSettings read(Map<String, Object> settings, Path baseDirectory, String docs,
                                       List<KeyProblem> problems) {
        String namespace = text(settings, "namespace");
        if (namespace != null && !Template.unrendered(namespace) && !LABEL.matcher(namespace).matches()) {
            problems.add(new KeyProblem("namespace", "namespace '" + namespace + "' is not a Kubernetes namespace name "
                    + "(lower-case letters, digits and '-', at most 63)", docs));
        }
        String context = text(settings, "context");
        String kubeconfig = text(settings, "kubeconfig");
        String server = text(settings, "server");
        String token = text(settings, "token");
        if (server != null && !Template.unrendered(server) && !httpUrl(server)) {
            problems.add(new KeyProblem("server", "server must be the API server's URL, e.g. https://10.0.0.1:6443", docs));
        }
        if (server != null && token == null) {
            problems.add(new KeyProblem(settings.containsKey("token") ? "token" : "server", settings.containsKey("token")
                    ? "token is empty: is the variable it references set?"
                    : "server needs token (e.g. token: ${env:K8S_TOKEN}); or leave both out to use a kubeconfig or the "
                    + "in-cluster service account", docs));
        }
        if (token != null && server == null) {
            problems.add(new KeyProblem("token", "token needs server (the API server's URL)", docs));
        }
        if (server != null && (context != null || kubeconfig != null)) {
            problems.add(new KeyProblem(context != null ? "context" : "kubeconfig", "context and kubeconfig choose a "
                    + "kubeconfig; with server and token no kubeconfig is read", docs));
        }
        Path kubeconfigPath = kubeconfig == null ? null : resolve(baseDirectory, kubeconfig);
        String ca = text(settings, "ca-bundle");
        Path caBundle = ca == null ? null : resolve(baseDirectory, ca);
        if (ca != null && server == null) {
            problems.add(new KeyProblem("ca-bundle", "ca-bundle goes with server and token (a kubeconfig names its own "
                    + "CA)", docs));
        }
        return new ClusterSettings(namespace, context, kubeconfigPath, server, token, caBundle);
    }

    /** A duration setting, or its default; a problem when it is not a duration. */
    public static Duration duration(Map<String, Object> settings, String key, Duration fallback, String docs,
                                    List<KeyProblem> problems) {
        String text = text(settings, key);
        if (text == null || Template.unrendered(text)) {
            return fallback;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(new KeyProblem(key, key + " must be " + Durations.FORMS, docs));
            return fallback;
        }
    }

    /** The settings of a type that reaches a cluster: the connection's, and the type's own {@code more}. */
    public static Set<String> keysWith(String... more) {
        Set<String> keys = new java.util.HashSet<>(KEYS);
        keys.addAll(List.of(more));
        return Set.copyOf(keys);
    }

    /**
     * The problem with a target key naming a Kubernetes object ({@code kind}: Secret, ExternalSecret), or none; a
     * template is checked once rendered.
     */
    public static Optional<KeyProblem> objectNameProblem(Map<String, Object> scope, String key, String kind,
                                                         String docs) {
        Object name = scope.get(key);
        if (name == null || Template.unrendered(name) || objectName(String.valueOf(name))) {
            return Optional.empty();
        }
        return Optional.of(new KeyProblem(key, key + " '" + name + "' is not " + (kind.startsWith("E") ? "an " : "a ")
                + kind + " name (lower-case letters, digits, '-' and '.')", docs));
    }

    /** Whether a Kubernetes object name (a Secret, a Deployment, an ExternalSecret) is valid. */
    public static boolean objectName(String name) {
        return name != null && name.length() <= 253 && SUBDOMAIN.matcher(name).matches();
    }

    private static Path resolve(Path baseDirectory, String path) {
        return baseDirectory == null ? Path.of(path) : baseDirectory.resolve(path);
    }

    private static boolean httpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
