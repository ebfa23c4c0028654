package dev.rotor.store.vault;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rotor.http.HttpClients;
import dev.rotor.http.Time;
import dev.rotor.store.Capability;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/** {@code type: vault-kv}: HashiCorp Vault / OpenBao KV version 2, a store and a durable journal. See docs/vault.md. */
public final class VaultProvider implements Provider {
    static final Set<String> SETTING_KEYS = Set.of("address", "mount", "namespace", "token", "auth", "role",
            "auth-mount", "audience", "ca-bundle", "journal-path");
    static final int DEFAULT_ATTEMPTS = 5;

    private final Time time;
    private final int maxAttempts;

    public VaultProvider() {
        this(Time.SYSTEM, DEFAULT_ATTEMPTS);
    }

    /** With another clock and sleeper and retry bound: for tests. */
    public VaultProvider(Time time, int maxAttempts) {
        this.time = time;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public String type() {
        return "vault-kv";
    }

    @Override
    public Set<String> settingKeys() {
        return SETTING_KEYS;
    }

    /** The Vault token: an {@code ${env:NAME}} reference, never a literal. */
    @Override
    public Set<String> credentialKeys() {
        return Set.of("token");
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return VaultSettings.check(settings);
    }

    @Override
    public Set<String> targetKeys() {
        return Set.of("path");
    }

    @Override
    public Set<String> requiredTargetKeys() {
        return Set.of("path");
    }

    @Override
    public Set<Capability> capabilities() {
        return VaultStore.CAPABILITIES;
    }

    @Override
    public String checkTargetName(String name) {
        return name == null || name.isBlank() ? "a Vault field name must not be empty" : null;
    }

    /** Opens the store without any network call: the mount, the login and permissions are checked on first use. */
    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        Map<String, String> environment = context.environment() == null ? Map.of() : context.environment();
        VaultSettings parsed = VaultSettings.parse(storeName, settings, environment, context.baseDirectory());
        VaultClient client = new VaultClient(HttpClients.create(environment, parsed.caBundle()), parsed.address(),
                parsed.namespace(), time, maxAttempts, storeName, context.progress(), context.resends());
        String token = parsed.token();
        VaultClient.Auth auth = parsed.githubOidc() ? new GithubOidcAuth(storeName, parsed, environment) : c -> token;
        client.auth(auth);
        return new VaultStore(storeName, parsed, client, auth, context.progress());
    }
}
