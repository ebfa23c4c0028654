package dev.rotor.azure;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.http.HttpClients;
import dev.rotor.store.StoreException;

/**
 * Workload identity federation from GitHub Actions: the job's OIDC token (requested from
 * {@code ACTIONS_ID_TOKEN_REQUEST_URL} with the audience Entra ID expects, {@code api://AzureADTokenExchange}) is the
 * client assertion for the app registration {@code AZURE_CLIENT_ID} in {@code AZURE_TENANT_ID}, whose federated
 * credential names this repository (and environment or branch). No secret exists anywhere; the job needs
 * {@code permissions: id-token: write}. A fresh token is asked for whenever Entra ID needs an assertion.
 */
final class GithubOidcAssertion {
    static final String AUDIENCE = "api://AzureADTokenExchange";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final String bearer;
    private final HttpClient http;

    GithubOidcAssertion(Map<String, String> environment, Path caBundle) {
        this.url = environment.get("ACTIONS_ID_TOKEN_REQUEST_URL");
        this.bearer = environment.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        this.http = HttpClients.create(environment, caBundle);
    }

    /** In a job that may request an OIDC token, for an app registration named without a secret or token file. */
    static boolean applies(Map<String, String> environment) {
        return present(environment, "ACTIONS_ID_TOKEN_REQUEST_URL") && present(environment, "ACTIONS_ID_TOKEN_REQUEST_TOKEN")
                && present(environment, "AZURE_CLIENT_ID") && present(environment, "AZURE_TENANT_ID")
                && !present(environment, "AZURE_CLIENT_SECRET") && !present(environment, "AZURE_FEDERATED_TOKEN_FILE")
                && !present(environment, "AZURE_CLIENT_CERTIFICATE_PATH");
    }

    /** The job's OIDC token for Entra ID; never printed. */
    String token() {
        String full = url + (url.contains("?") ? "&" : "?") + "audience=" + URLEncoder.encode(AUDIENCE, StandardCharsets.UTF_8);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(full)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "bearer " + bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TRANSIENT, "the GitHub OIDC token endpoint could not be "
                    + "reached (" + e.getClass().getSimpleName() + ")", "re-run the job");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TRANSIENT, "interrupted while asking GitHub for an OIDC token");
        }
        String jwt = "";
        if (response.statusCode() == 200) {
            try {
                jwt = JSON.readTree(response.body()).path("value").asText("");
            } catch (IOException e) {
                // reported below: the body is no token
            }
        }
        if (jwt.isEmpty()) {
            throw new StoreException(StoreException.Kind.PERMISSION, "GitHub answered " + response.statusCode()
                    + " to the OIDC token request for Azure", "add `permissions: { id-token: write }` to the job");
        }
        return jwt;
    }

    private static boolean present(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value != null && !value.isBlank();
    }
}
