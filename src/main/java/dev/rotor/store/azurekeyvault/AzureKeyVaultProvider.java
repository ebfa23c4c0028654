package dev.rotor.store.azurekeyvault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import dev.rotor.azure.AzureConnection;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Capability;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/**
 * {@code type: azure-key-vault}: secrets of an Azure Key Vault, through the Azure SDK with azure-identity's
 * DefaultAzureCredential. Key Vault cannot refuse a stale write, so it is a target, never a journal. This class
 * names no SDK type: validate finds it through ServiceLoader and must not load the SDK. See docs/azure-key-vault.md.
 */
public final class AzureKeyVaultProvider implements Provider {
    /** Readable, a version per write (its Secret Id), and when it changed. No PENDING_SLOT, no COMPARE_AND_SET. */
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.VERSIONED, Capability.UPDATED_AT,
            Capability.DELETE);
    /** Key Vault's largest secret value: 25 KB. */
    static final long MAX_VALUE_BYTES = 25 * 1024;
    /** 4 attempts in all, jittered backoff from 0.5 s, no wait above 8 s (a server's Retry-After included). */
    static final int MAX_RETRIES = 3;
    static final Duration BASE_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(8);

    private final Duration baseDelay;
    private final Duration maxDelay;

    public AzureKeyVaultProvider() {
        this(BASE_DELAY, MAX_DELAY);
    }

    /** With shorter waits between retries: for tests. */
    AzureKeyVaultProvider(Duration baseDelay, Duration maxDelay) {
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    @Override
    public String type() {
        return "azure-key-vault";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("vault", "url", "client-id", "ca-bundle");
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return KeyVaultSettings.check(settings);
    }

    @Override
    public Set<String> targetKeys() {
        return Set.of("content-type", "tags");
    }

    @Override
    public List<KeyProblem> checkTarget(Map<String, Object> settings, Map<String, Object> scope) {
        return KeyVaultSettings.checkTarget(scope);
    }

    @Override
    public String checkTargetName(String name) {
        return KeyVaultSettings.checkSecretName(name);
    }

    @Override
    public OptionalLong maxValueBytes() {
        return OptionalLong.of(MAX_VALUE_BYTES);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** Builds the SDK client without a network call: the identity and the vault are first asked at preflight. */
    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        KeyVaultSettings parsed = KeyVaultSettings.parse(storeName, settings, context.baseDirectory());
        Map<String, String> environment = context.environment() == null ? Map.of() : context.environment();
        AzureConnection azure = new AzureConnection(storeName, context, parsed.caBundle(),
                new AzureConnection.Retries(MAX_RETRIES + 1, baseDelay, maxDelay), parsed.clientId());
        return new KeyVaultStore(storeName, parsed, KeyVaultClients.secretClient(parsed, azure),
                KeyVaultErrors.identity(parsed, environment));
    }
}
