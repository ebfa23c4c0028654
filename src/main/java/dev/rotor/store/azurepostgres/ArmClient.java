package dev.rotor.store.azurepostgres;

import dev.rotor.azure.AzureConnection;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;
import com.azure.identity.CredentialUnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.http.Retry;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;
import dev.rotor.store.StoreException.Kind;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Azure Resource Manager over azure-core's {@link HttpPipeline}: a bearer token from azure-identity's
 * {@code DefaultAzureCredential} (workload identity from GitHub OIDC, the credential {@code azure/login} leaves,
 * environment, managed identity), read from the run's environment rather than the JVM's; transient answers (408,
 * 429, 5xx, lost connections) resent by azure-core's {@link RetryPolicy}, bounded, each resend a progress line.
 */
final class ArmClient {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** The shared Azure connection's pipeline for ARM: the bearer token, and retries bounded and announced. */
    static ArmClient open(String storeName, FlexibleServerSettings settings, ProviderContext context,
                          AzureConnection.Retries retries) {
        String label = AzurePostgresProvider.TYPE + " store '" + storeName + "'";
        AzureConnection azure = new AzureConnection(label, context, settings.caBundle(), retries);
        return new ArmClient(label, settings.managementUrl(), azure.pipeline(settings.managementUrl() + "/.default"));
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
}
