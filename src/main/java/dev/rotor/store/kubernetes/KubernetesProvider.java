package dev.rotor.store.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

import dev.rotor.http.Time;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.manifest.Template;
import dev.rotor.store.Capability;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/**
 * {@code type: kubernetes}: one key of a Secret per target ({@code secret:} names the Secret, {@code name:} the key),
 * written with the resourceVersion it read so that a concurrent change is retried, never overwritten; a durable
 * journal (a Secret per unit); {@code restart:} rolls workloads out as {@code kubectl rollout restart} does and waits
 * as {@code kubectl rollout status} does. No client type appears here: fabric8 loads when a store is opened.
 * See docs/kubernetes.md.
 */
public final class KubernetesProvider implements Provider {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.VERSIONED,
            Capability.PENDING_SLOT, Capability.COMPARE_AND_SET, Capability.UPDATED_AT, Capability.RESTART,
            Capability.DELETE);
    /** A Secret's keys: letters, digits, '-', '_' and '.'. */
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

    private final Time time;

    public KubernetesProvider() {
        this(Time.SYSTEM);
    }

    /** With another sleeper: for tests. */
    KubernetesProvider(Time time) {
        this.time = time;
    }

    @Override
    public String type() {
        return "kubernetes";
    }

    @Override
    public Set<String> settingKeys() {
        return ClusterSettings.keysWith("rollout-timeout", "journal-prefix");
    }

    /** The token when given with server: an {@code ${env:NAME}} reference. {@code secret}, a target key, is a name. */
    @Override
    public Set<String> credentialKeys() {
        return Set.of("token");
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return KubernetesSettings.check(settings);
    }

    @Override
    public Set<String> targetKeys() {
        return Set.of("secret", "restart");
    }

    @Override
    public Set<String> requiredTargetKeys() {
        return Set.of("secret");
    }

    @Override
    public List<KeyProblem> checkTarget(Map<String, Object> settings, Map<String, Object> scope) {
        List<KeyProblem> problems = new ArrayList<>(
                ClusterSettings.objectNameProblem(scope, "secret", "Secret", KubernetesSettings.DOCS).stream().toList());
        Object restart = scope.get("restart");
        if (restart != null && !Template.unrendered(restart)) {
            try {
                Workload.parse(restart);
            } catch (IllegalArgumentException e) {
                problems.add(new KeyProblem("restart", e.getMessage(), "e.g. restart: deployment/backend, or "
                        + "restart: [deployment/api, statefulset/worker] (see docs/kubernetes.md)"));
            }
        }
        return problems;
    }

    @Override
    public String checkTargetName(String name) {
        return keyProblem(name);
    }

    static String keyProblem(String name) {
        return name != null && KEY.matcher(name).matches() ? null
                : "a Secret's key is letters, digits, '-', '_' and '.' (e.g. active-key)";
    }

    /** A Secret holds at most 1 MiB in all. */
    @Override
    public OptionalLong maxValueBytes() {
        return OptionalLong.of(1024 * 1024);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** Opens the store without a request: credentials and permissions are first used by preflight. */
    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        String label = "store '" + storeName + "' (kubernetes)";
        KubernetesSettings parsed = KubernetesSettings.parse(label, settings, context.baseDirectory());
        return new KubernetesStore(parsed, KubeConnection.open(label, parsed.cluster(), context, time), context, time);
    }
}
