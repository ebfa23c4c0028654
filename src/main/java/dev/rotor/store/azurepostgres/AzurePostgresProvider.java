package dev.rotor.store.azurepostgres;

import dev.rotor.azure.AzureConnection;

import dev.rotor.http.Time;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Owner;
import dev.rotor.store.OwnerProvider;
import dev.rotor.store.ProviderContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: azure-postgres-flexible}: the administrator password of an Azure Database for PostgreSQL flexible
 * server, changed through Azure Resource Manager with the ambient Azure identity (no secret in the manifest); an
 * owner, never a store. The Azure SDK is loaded only when an owner is opened. See docs/azure-postgres-flexible.md.
 */
public final class AzurePostgresProvider implements OwnerProvider {
    static final String TYPE = "azure-postgres-flexible";

    private final Time time;
    private final int maxRetries;
    private final Duration retryBase;

    public AzurePostgresProvider() {
        this(Time.SYSTEM, 3, Duration.ofMillis(500));
    }

    /** With another clock and sleeper (operation polling) and transport retry bounds: for tests. */
    AzurePostgresProvider(Time time, int maxRetries, Duration retryBase) {
        this.time = time;
        this.maxRetries = maxRetries;
        this.retryBase = retryBase;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> settingKeys() {
        return FlexibleServerSettings.KEYS;
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return FlexibleServerSettings.REQUIRED;
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return FlexibleServerSettings.check(settings);
    }

    @Override
    public Owner openOwner(String storeName, Map<String, Object> settings, Map<String, Object> ownerOptions,
                           ProviderContext context) {
        String user = ownerUser(storeName, settings, ownerOptions);
        FlexibleServerSettings parsed = FlexibleServerSettings.parse(storeName, settings, context.baseDirectory());
        ArmClient arm = ArmClient.open(storeName, parsed, context, new AzureConnection.Retries(maxRetries + 1,
                retryBase, Duration.ofSeconds(8)));
        return new FlexibleServerOwner(storeName, parsed, user, arm, time, context.progress());
    }
}
