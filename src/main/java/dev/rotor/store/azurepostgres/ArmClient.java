package dev.rotor.store.azurepostgres;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.RetryStrategy;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.Context;
import com.azure.identity.CredentialUnavailableException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.http.HttpClients;
import dev.rotor.http.Retry;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;
import dev.rotor.store.StoreException.Kind;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Azure Resource Manager over azure-core's {@link HttpPipeline}: a bearer token from azure-identity's
 * {@code DefaultAzureCredential} (workload identity from GitHub OIDC, the credential {@code azure/login} leaves,
 * environment, managed identity), read from the run's environment rather than the JVM's; transient answers (408,
 * 429, 5xx, lost connections) resent by azure-core's {@link RetryPolicy}, bounded, each resend a progress line.
 */
final class ArmClient {
    /** Transient failures: the first attempt and at most three resends, 0.5 s base, 8 s cap (Retry-After wins). */
    static final RetryShape DEFAULT_RETRY = new RetryShape(3, Duration.ofMillis(500), Duration.ofSeconds(8));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the transport retries: resends after the first attempt, and the backoff's base and cap. */
    record RetryShape(int maxRetries, Duration baseDelay, Duration maxDelay) {
    }

    /** One ARM answer, read whole: the status, the headers a caller needs, and the JSON body (empty when none). */
    record Answer(int status, Optional<String> asyncOperation, Optional<String> location, Optional<String> retryAfter,
                  JsonNode body) {
        String errorCode() {
            return body.path("error").path("code").asText("");
        }

        String errorMessage() {
            return body.path("error").path("message").asText("");
        }
    }

    private final String label;
    private final String managementUrl;
    private final HttpPipeline pipeline;

    private ArmClient(String label, String managementUrl, HttpPipeline pipeline) {
        this.label = label;
        this.managementUrl = managementUrl;
        this.pipeline = pipeline;
    }

    static ArmClient open(String storeName, FlexibleServerSettings settings, ProviderContext context,
                          RetryShape retry) {
        Map<String, String> environment = context.environment() == null ? Map.of() : context.environment();
        // The credential chain and the proxy read the run's environment (ProviderContext), not the JVM's.
        Configuration configuration = new ConfigurationBuilder(source -> Map.of(), source -> Map.of(),
                source -> environment).build();
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER);
        if (settings.caBundle() != null) {
            jdk.sslContext(HttpClients.sslContext(settings.caBundle()));
        }
        HttpClient http = new JdkHttpClientBuilder(jdk).configuration(configuration)
                .connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofSeconds(60)).build();
        TokenCredential credential = new DefaultAzureCredentialBuilder().configuration(configuration)
                .httpClient(http).build();
        String label = AzurePostgresProvider.TYPE + " store '" + storeName + "'";
        HttpPipeline pipeline = new HttpPipelineBuilder().httpClient(http).policies(
                new RequestIdPolicy(),
                new RetryPolicy(new AnnouncedRetries(label, retry, context.progress(), context.resends())),
                new BearerTokenAuthenticationPolicy(credential, settings.managementUrl() + "/.default")).build();
        return new ArmClient(label, settings.managementUrl(), pipeline);
    }

    /** {@code path} is under the management endpoint; an operation URL ARM handed back is absolute. */
    Answer send(HttpMethod method, String pathOrUrl, JsonNode body, String operation) {
        String url = pathOrUrl.startsWith("https://") ? pathOrUrl : managementUrl + pathOrUrl;
        HttpRequest request = new HttpRequest(method, url);
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
            request.setBody(body.toString());
        }
        try (HttpResponse response = pipeline.sendSync(request, Context.NONE)) {
            String text = response.getBodyAsBinaryData() == null ? "" : response.getBodyAsBinaryData().toString();
            JsonNode json = JSON.createObjectNode();
            if (!text.isBlank()) {
                try {
                    json = JSON.readTree(text);
                } catch (IOException notJson) {
                    // an answer that is not JSON (a gateway's HTML page) carries no code or status to read
                }
            }
            return new Answer(response.getStatusCode(),
                    header(response, HttpHeaderName.fromString("Azure-AsyncOperation")),
                    header(response, HttpHeaderName.LOCATION), header(response, HttpHeaderName.RETRY_AFTER), json);
        } catch (CredentialUnavailableException e) {
            throw new StoreException(Kind.PERMISSION, label + ": " + operation + ": no Azure credential is available "
                    + "(DefaultAzureCredential found none)", "in GitHub Actions run azure/login with OIDC (client-id, "
                    + "tenant-id, subscription-id) before Rotor, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and "
                    + "AZURE_FEDERATED_TOKEN_FILE (workload identity); see docs/azure-postgres-flexible.md");
        } catch (ClientAuthenticationException e) {
            throw new StoreException(Kind.PERMISSION, label + ": " + operation + ": Microsoft Entra ID refused the "
                    + "Azure credential (" + e.getClass().getSimpleName() + ")", "check AZURE_TENANT_ID, "
                    + "AZURE_CLIENT_ID and the federated credential or secret of that application");
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            // Details withheld: a transport or library message may quote a request, and so a value.
            throw new StoreException(Kind.TRANSIENT, label + ": " + operation + ": Azure Resource Manager could not "
                    + "be reached (" + e.getClass().getSimpleName() + ")", "check the network and management-url");
        }
    }

    private static Optional<String> header(HttpResponse response, HttpHeaderName name) {
        return Optional.ofNullable(response.getHeaderValue(name)).filter(v -> !v.isBlank());
    }

    /** The wait a {@code Retry-After} asks for, if any (seconds or an HTTP date). */
    static Optional<Duration> retryAfter(Answer answer, Instant now) {
        return Retry.retryAfter(answer.retryAfter(), now);
    }

    /**
     * azure-core's exponential backoff, bounded as configured, announcing every resend it decides on: the store,
     * the method and path (no query), the answer, the attempt and the wait; never a body, a header or a token.
     */
    private static final class AnnouncedRetries implements RetryStrategy {
        private final String label;
        private final ExponentialBackoff backoff;
        private final int maxRetries;
        private final Consumer<String> progress;
        private final ProviderContext.Resends resends;

        AnnouncedRetries(String label, RetryShape shape, Consumer<String> progress, ProviderContext.Resends resends) {
            this.label = label;
            this.maxRetries = shape.maxRetries();
            this.backoff = new ExponentialBackoff(new ExponentialBackoffOptions().setMaxRetries(shape.maxRetries())
                    .setBaseDelay(shape.baseDelay()).setMaxDelay(shape.maxDelay()));
            this.progress = progress == null ? line -> { } : progress;
            this.resends = resends == null ? new ProviderContext.Resends() : resends;
        }

        @Override
        public int getMaxRetries() {
            return maxRetries;
        }

        @Override
        public Duration calculateRetryDelay(int retryAttempts) {
            return backoff.calculateRetryDelay(retryAttempts);
        }

        @Override
        public boolean shouldRetryCondition(RequestRetryCondition condition) {
            boolean retry = backoff.shouldRetryCondition(condition);
            if (retry && condition.getTryCount() < maxRetries) {
                resends.add();
                HttpResponse response = condition.getResponse();
                String what = response == null ? "could not be reached (" + condition.getThrowable().getClass()
                        .getSimpleName() + ")" : "answered " + response.getStatusCode();
                String request = response == null ? "request" : response.getRequest().getHttpMethod() + " "
                        + response.getRequest().getUrl().getPath();
                String wait = response == null || response.getHeaderValue(HttpHeaderName.RETRY_AFTER) == null
                        ? "after backoff" : "after Retry-After " + response.getHeaderValue(HttpHeaderName.RETRY_AFTER)
                        + " s";
                progress.accept(label + ": " + request + " " + what + ", retry " + (condition.getTryCount() + 1) + "/"
                        + maxRetries + " " + wait);
            }
            return retry;
        }
    }
}
