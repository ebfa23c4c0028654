package dev.rotor.store.azurekeyvault;

import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.SecretServiceVersion;
import dev.rotor.azure.AzureConnection;

/**
 * Builds the SDK's SecretClient the way Rotor needs it: the shared Azure connection ({@link AzureConnection}: the
 * run's environment feeding DefaultAzureCredential, one JDK HTTP client with Rotor's proxy rules and CA bundle, the
 * bounded, announced retries) for the vault and the token endpoint alike. The challenge's resource is verified
 * against the vault's domain, as the SDK does by default.
 */
final class KeyVaultClients {
    /** The REST API version the store speaks (and its tests serve): pinned, not whatever the SDK calls latest. */
    static final SecretServiceVersion API_VERSION = SecretServiceVersion.V7_5;

    private KeyVaultClients() {
    }

    static SecretClient secretClient(KeyVaultSettings settings, AzureConnection azure) {
        return new SecretClientBuilder()
                .vaultUrl(settings.vaultUrl())
                .serviceVersion(API_VERSION)
                .httpClient(azure.http())
                .retryPolicy(azure.retryPolicy())
                .credential(azure.credential())
                .buildClient();
    }
}
