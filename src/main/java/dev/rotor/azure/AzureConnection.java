package dev.rotor.azure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.AddDatePolicy;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.CredentialUnavailableException;
import com.azure.identity.DefaultAzureCredentialBuilder;

import dev.rotor.http.HttpClients;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;

/**
 * What every Azure store shares: in a GitHub Actions job allowed an OIDC token with {@code AZURE_CLIENT_ID} and
 * {@code AZURE_TENANT_ID} set and no secret, workload identity federation of the job's own token
 * ({@link GithubOidcAssertion}); otherwise azure-identity's {@code DefaultAzureCredential} (environment, a federated
 * token file, managed identity, the Azure CLI login {@code azure/login} leaves), read from the run's environment; the
 * JDK HTTP client (proxy and CA bundle as for every other store), and pipelines whose retries are azure-core's own
 * {@code RetryPolicy}, bounded and announced ({@link AnnouncedRetries}). Failures become one line naming the store,
 * the operation and what to grant; a library's message is reduced to its class name, since it might quote a value.
 */
public final class AzureConnection {
    /** How often and how long transient failures are retried: attempts in all, first backoff, longest wait. */
    public record Retries(int attempts, Duration base, Duration cap) {
        public static final Retries DEFAULT = new Retries(4, Duration.ofMillis(500), Duration.ofSeconds(8));
    }

    /** A header no service sends: azure-core then asks the strategy for every wait, which caps Retry-After. */
    private static final String NO_HEADER = "x-rotor-retry-after-from-strategy";

    private final String label;
    private final HttpClient http;
    private final TokenCredential credential;
    private final Retries retries;
    private final Consumer<String> progress;
    private final ProviderContext.Resends resends;

    /** @param label how messages name the store, e.g. {@code store 'web' (azure-app-service)} */
    public AzureConnection(String label, ProviderContext context, Path caBundle, Retries retries) {
        this(label, context, caBundle, retries, null);
    }

    /** @param managedIdentityClientId a user-assigned managed identity's client id, or null for the chain's own */
    public AzureConnection(String label, ProviderContext context, Path caBundle, Retries retries,
                           String managedIdentityClientId) {
        Map<String, String> environment = context.environment() == null ? Map.of() : context.environment();
        ConfigurationSource none = path -> Map.of();
        Configuration configuration = new ConfigurationBuilder(none, none, path -> environment).build();
        this.label = label;
        this.http = new JdkHttpClientBuilder(HttpClients.builder(environment, caBundle)).configuration(configuration)
                .responseTimeout(Duration.ofMinutes(5)).build();
        // MSAL's instance discovery asks login.microsoftonline.com about any authority it does not know (a sovereign
        // or private cloud's AZURE_AUTHORITY_HOST) and waits out a timeout where that host is unreachable; the
        // authority comes from the run's own environment, so there is nothing to validate.
        this.retries = retries;
        this.progress = context.progress() == null ? line -> { } : context.progress();
        this.resends = context.resends() == null ? new ProviderContext.Resends() : context.resends();
        if (GithubOidcAssertion.applies(environment)) {
            // In a GitHub Actions job (a Docker action sees no `az` login): federate the job's own OIDC token.
            GithubOidcAssertion assertion = new GithubOidcAssertion(environment, caBundle);
            this.credential = new ClientAssertionCredentialBuilder().configuration(configuration).httpClient(http)
                    .retryPolicy(retryPolicy()).disableInstanceDiscovery()
                    .tenantId(environment.get("AZURE_TENANT_ID")).clientId(environment.get("AZURE_CLIENT_ID"))
                    .clientAssertion(assertion::token).build();
            return;
        }
        DefaultAzureCredentialBuilder chain = new DefaultAzureCredentialBuilder().configuration(configuration)
                .httpClient(http).retryPolicy(retryPolicy()).disableInstanceDiscovery();
        if (managedIdentityClientId != null) {
            chain.managedIdentityClientId(managedIdentityClientId);
        }
        this.credential = chain.build();
    }

    /** The credential chain, for an SDK client that authenticates its own way (Key Vault's bearer challenge). */
    public TokenCredential credential() {
        return credential;
    }

    /** azure-core's RetryPolicy over the bounded, announced strategy: for SDK clients and for token requests. */
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(new AnnouncedRetries(label, retries, progress, resends::add), NO_HEADER, ChronoUnit.SECONDS);
    }

    public String label() {
        return label;
    }

    /** The bare HTTP client, for requests that carry no Azure token (an app's own host name). */
    public HttpClient http() {
        return http;
    }

    /** A pipeline that authenticates with a token for {@code scope} (e.g. https://management.azure.com/.default). */
    public HttpPipeline pipeline(String scope) {
        return new HttpPipelineBuilder().httpClient(http).policies(
                new RequestIdPolicy(),
                retryPolicy(),
                new AddDatePolicy(),
                new BearerTokenAuthenticationPolicy(credential, scope)).build();
    }

    /**
     * Runs one operation; a credential the chain could not find or Entra ID refused, and a transport that failed on
     * every attempt, become a {@link StoreException} naming {@code operation} and, for credentials, {@code grant}.
     */
    public <T> T call(String operation, String grant, Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw e;
        } catch (ClientAuthenticationException e) {
            throw credentialFailure(operation, grant, e);
        } catch (RuntimeException e) {
            if (transport(e)) {
                throw new StoreException(StoreException.Kind.TRANSIENT, label + ": Azure could not be reached to "
                        + operation + " (" + e.getClass().getSimpleName() + ", " + retries.attempts() + " attempts)",
                        "check the network and HTTPS_PROXY, then re-run (every Rotor write is idempotent)");
            }
            throw e;
        }
    }

    /** An answer Azure gave after any retries: {@code code} is its error code (ARM's error.code, x-ms-error-code). */
    public StoreException failure(String operation, int status, String code, String grant) {
        String answer = " (" + status + (code == null || code.isEmpty() ? "" : " " + code) + ")";
        return switch (status) {
            case 401, 403 -> new StoreException(StoreException.Kind.PERMISSION, label + ": Azure refused to " + operation
                    + answer, "grant the identity Rotor runs as " + grant);
            case 404 -> new StoreException(StoreException.Kind.NOT_FOUND, label + ": Azure found nothing to " + operation
                    + answer, "check the store's settings (names, subscription) and that the identity can see it");
            case 408, 429, 500, 502, 503, 504 -> new StoreException(StoreException.Kind.TRANSIENT, label + ": Azure answered "
                    + status + " to " + operation + " " + retries.attempts() + " times" + answer,
                    "re-run later (every Rotor write is idempotent)");
            case 409, 412 -> new StoreException(StoreException.Kind.CONFLICT, label + ": Azure refused to " + operation
                    + " because it changed meanwhile" + answer);
            default -> new StoreException(StoreException.Kind.FAILED, label + ": Azure refused to " + operation + answer);
        };
    }

    private StoreException credentialFailure(String operation, String grant, ClientAuthenticationException e) {
        boolean none = e instanceof CredentialUnavailableException;
        return new StoreException(StoreException.Kind.PERMISSION, label + ": " + (none
                ? "no Azure credential was found to " : "Microsoft Entra ID refused the credential to ") + operation
                + " (" + e.getClass().getSimpleName() + ")",
                (none ? "in GitHub Actions give the job `permissions: id-token: write` and set AZURE_CLIENT_ID and "
                        + "AZURE_TENANT_ID (an app registration whose federated credential names this repository); "
                        + "elsewhere sign in with the Azure CLI or set AZURE_FEDERATED_TOKEN_FILE; "
                        : "check AZURE_CLIENT_ID, AZURE_TENANT_ID and the federated credential's subject; ")
                        + "the identity needs " + grant);
    }

    /** A failure of the connection itself (refused, reset, timed out), not an answer. */
    static boolean transport(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
