package dev.rotor.store.vault;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rotor.store.StoreException;

/**
 * {@code auth: github-oidc}: asks GitHub Actions for an OIDC token ({@code ACTIONS_ID_TOKEN_REQUEST_URL} with the
 * bearer {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}, the job needs {@code permissions: id-token: write}) and logs in with
 * {@code POST /v1/auth/{auth-mount}/login {role, jwt}}. The Vault token is kept until two thirds of its lease have
 * passed, then Rotor logs in again with a fresh OIDC token (a re-login, not a renewal: no renew policy needed).
 */
final class GithubOidcAuth implements VaultClient.Auth {
    private final String storeName;
    private final String role;
    private final String authMount;
    private final String audience;
    private final Map<String, String> environment;
    private String token;
    private Instant renewAt = Instant.MIN;

    GithubOidcAuth(String storeName, VaultSettings settings, Map<String, String> environment) {
        this.storeName = storeName;
        this.role = settings.role();
        this.authMount = settings.authMount();
        this.audience = settings.audience();
        this.environment = environment;
    }

    @Override
    public synchronized String token(VaultClient client) {
        if (token == null || !client.time().now().isBefore(renewAt)) {
            login(client);
        }
        return token;
    }

    @Override
    public synchronized void invalidate() {
        token = null;
    }

    private void login(VaultClient client) {
        String jwt = githubToken(client);
        ObjectNode body = VaultClient.JSON.createObjectNode().put("role", role).put("jwt", jwt);
        String path = "auth/" + authMount + "/login";
        VaultClient.Response response = client.send("POST", path, body, false);
        if (!response.ok()) {
            boolean missing = response.status() == 404 || response.errorContains("no handler for route");
            throw new StoreException(response.status() == 400 || response.status() == 403
                    ? StoreException.Kind.PERMISSION : StoreException.Kind.FAILED,
                    "store '" + storeName + "' (vault-kv): Vault refused the GitHub OIDC login at " + path + " for role '"
                            + role + "' (" + response.status() + VaultClient.describeErrors(response) + ")",
                    missing ? "enable a JWT auth method at '" + authMount + "' (vault auth enable -path=" + authMount
                            + " jwt) or set auth-mount"
                            : "check the role's bound_audiences, bound_claims (repository, ref, environment) and user_claim "
                            + "against this workflow's OIDC token; see docs/vault.md");
        }
        JsonNode auth = response.json().path("auth");
        String clientToken = auth.path("client_token").asText("");
        if (clientToken.isEmpty()) {
            throw new StoreException(StoreException.Kind.FAILED, "store '" + storeName + "' (vault-kv): the login at "
                    + path + " gave no client_token");
        }
        long lease = auth.path("lease_duration").asLong(0);
        token = clientToken;
        renewAt = lease <= 0 ? Instant.MAX : client.time().now().plus(Duration.ofSeconds(Math.max(1, lease * 2 / 3)));
    }

    private String githubToken(VaultClient client) {
        String url = environment.get("ACTIONS_ID_TOKEN_REQUEST_URL");
        String bearer = environment.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        if (url == null || url.isBlank() || bearer == null || bearer.isBlank()) {
            throw new StoreException(StoreException.Kind.PERMISSION, "store '" + storeName + "' (vault-kv): auth: "
                    + VaultSettings.GITHUB_OIDC + " needs ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, "
                    + "which GitHub Actions sets only for jobs allowed to request an OIDC token",
                    "add `permissions: { id-token: write, contents: read }` to the job");
        }
        String full = url;
        if (audience != null) {
            full += (url.contains("?") ? "&" : "?") + "audience=" + URLEncoder.encode(audience, StandardCharsets.UTF_8);
        }
        VaultClient.Response response = client.getExternal(full, "bearer " + bearer, "the GitHub OIDC token endpoint");
        String jwt = response.json().path("value").asText("");
        if (!response.ok() || jwt.isEmpty()) {
            throw new StoreException(StoreException.Kind.PERMISSION, "store '" + storeName + "' (vault-kv): GitHub "
                    + "answered " + response.status() + " to the OIDC token request",
                    "add `permissions: { id-token: write }` to the job; the request token is valid only during the job");
        }
        return jwt;
    }
}
