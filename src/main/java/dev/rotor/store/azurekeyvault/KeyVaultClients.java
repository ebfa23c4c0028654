package dev.rotor.store.azurekeyvault;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Collectors;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import com.azure.identity.DefaultAzureCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.SecretServiceVersion;

import dev.rotor.http.HttpClients;

/**
 * Builds the SDK's SecretClient the way Rotor needs it: the run's environment (not the process's) feeds
 * DefaultAzureCredential, one JDK HTTP client (Rotor's proxy rules and optional CA bundle) serves the vault and the
 * token endpoint, and both pipelines retry through {@link AnnouncedRetries}. The challenge's resource is verified
 * against the vault's domain, as the SDK does by default.
 */
final class KeyVaultClients {
    /** The REST API version the store speaks (and its tests serve): pinned, not whatever the SDK calls latest. */
    static final SecretServiceVersion API_VERSION = SecretServiceVersion.V7_5;
    /**
     * RetryPolicy waits as long as a well-known header (Retry-After) says, without a cap, unless it is told to read
     * another header; naming one Azure never sends makes it ask the strategy every time, which caps the server's wait.
     */
    private static final String NO_SUCH_HEADER = "x-rotor-retry-after";

    private KeyVaultClients() {
    }

    static SecretClient secretClient(KeyVaultSettings settings, Map<String, String> environment, AnnouncedRetries retries) {
        Configuration configuration = configuration(environment);
        HttpClient http = new JdkHttpClientBuilder(HttpClients.builder(environment, settings.caBundle()))
                .configuration(Configuration.NONE) // the proxy comes from HttpClients, read from the run's environment
                .build();
        return new SecretClientBuilder()
                .vaultUrl(settings.vaultUrl())
                .serviceVersion(API_VERSION)
                .configuration(configuration)
                .httpClient(http)
                .retryPolicy(retryPolicy(retries))
                .credential(credential(settings, configuration, http, retries))
                .buildClient();
    }

    private static DefaultAzureCredential credential(KeyVaultSettings settings, Configuration configuration,
                                                     HttpClient http, AnnouncedRetries retries) {
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder()
                .configuration(configuration)
                .httpClient(http)
                .retryPolicy(retryPolicy(retries));
        if (settings.clientId() != null) {
            builder.managedIdentityClientId(settings.clientId());
        }
        return builder.build();
    }

    private static RetryPolicy retryPolicy(AnnouncedRetries retries) {
        return new RetryPolicy(retries, NO_SUCH_HEADER, ChronoUnit.MILLIS);
    }

    /** The SDK's configuration from the run's environment alone (AZURE_CLIENT_ID, AZURE_TENANT_ID, ...). */
    static Configuration configuration(Map<String, String> environment) {
        ConfigurationSource none = prefix -> Map.of();
        ConfigurationSource variables = prefix -> prefix == null ? environment : environment.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return new ConfigurationBuilder(none, none, variables).build();
    }
}
