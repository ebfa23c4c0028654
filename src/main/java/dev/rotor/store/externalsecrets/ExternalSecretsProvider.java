package dev.rotor.store.externalsecrets;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rotor.http.Time;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Capability;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.kubernetes.ClusterSettings;

/**
 * {@code type: external-secrets}: an ExternalSecret of the External Secrets Operator that copies a cloud store Rotor
 * writes (AWS Secrets Manager, Vault...) into a Kubernetes Secret. It holds no value: its targets come after the
 * cloud store's in the manifest, and its restart asks the operator to sync now ({@code force-sync}) and waits until
 * it has. No client type appears here. See docs/external-secrets.md.
 */
public final class ExternalSecretsProvider implements Provider {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.RESTART);

    private final Time time;

    public ExternalSecretsProvider() {
        this(Time.SYSTEM);
    }

    /** With another sleeper: for tests. */
    ExternalSecretsProvider(Time time) {
        this.time = time;
    }

    @Override
    public String type() {
        return "external-secrets";
    }

    @Override
    public Set<String> settingKeys() {
        return ClusterSettings.keysWith("sync-timeout", "api-version");
    }

    @Override
    public Set<String> credentialKeys() {
        return Set.of("token");
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return ExternalSecretsSettings.check(settings);
    }

    @Override
    public Set<String> targetKeys() {
        return Set.of("external-secret");
    }

    @Override
    public Set<String> requiredTargetKeys() {
        return Set.of("external-secret");
    }

    @Override
    public List<KeyProblem> checkTarget(Map<String, Object> settings, Map<String, Object> scope) {
        return ClusterSettings.objectNameProblem(scope, "external-secret", "ExternalSecret", ExternalSecretsSettings.DOCS)
                .stream().toList();
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        String label = "store '" + storeName + "' (external-secrets)";
        ExternalSecretsSettings parsed = ExternalSecretsSettings.parse(label, settings, context.baseDirectory());
        return new ExternalSecretsStore(parsed, label, context, time);
    }
}
