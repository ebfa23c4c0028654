package dev.rotor.github;

import java.io.IOException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.kohsuke.github.extras.authorization.JWTTokenProvider;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rotor.store.StoreException;

/**
 * A GitHub App: github-api's {@link JWTTokenProvider} signs the app's JWT (renewed before it expires), which is
 * exchanged for an installation token per owner ({@code POST /app/installations/{id}/access_tokens}) through the
 * same rate-limit-aware {@link GithubApi} path as every other request. Tokens are refreshed five minutes before
 * their {@code expires_at}.
 */
public final class AppCredentials implements Credentials {
    private static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

    private record Token(String header, Instant expiresAt) {
        /** A record would print the header, which carries the installation token. */
        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    private final String appId;
    private final JWTTokenProvider jwt;
    private final Long fixedInstallation;
    private final GithubApi api;
    private final Map<String, Long> installations = new HashMap<>();
    private final Map<Long, Token> tokens = new HashMap<>();

    public AppCredentials(String appId, PrivateKey privateKey, Long installationId, GithubApi api) {
        this.appId = appId;
        this.jwt = new JWTTokenProvider(appId, privateKey);
        this.fixedInstallation = installationId;
        this.api = api;
    }

    @Override
    public synchronized String authorization(String owner, String installationPath) {
        long installation = fixedInstallation != null ? fixedInstallation
                : installations.computeIfAbsent(owner.toLowerCase(Locale.ROOT), o -> lookup(o, installationPath));
        Token token = tokens.get(installation);
        if (token == null || !api.time().now().isBefore(token.expiresAt().minus(REFRESH_BEFORE))) {
            token = exchange(installation);
            tokens.put(installation, token);
        }
        return token.header();
    }

    /** The installation on an owner as a whole: {@code GET /orgs/{o}/installation}, and for a user {@code /users/{u}/installation}. */
    @Override
    public synchronized String ownerAuthorization(String owner) {
        String key = owner.toLowerCase(Locale.ROOT);
        if (fixedInstallation == null && !installations.containsKey(key)) {
            GithubApi.Response response = api.get("/orgs/" + owner + "/installation", this::appJwt);
            if (response.status() == 200 && response.json().hasNonNull("id")) {
                installations.put(key, response.json().get("id").asLong());
            } else if (response.status() != 404) {
                throw appFailure(response, "finding its installation on " + owner);
            }
        }
        return authorization(owner, "/users/" + owner + "/installation");
    }

    @Override
    public boolean installation() {
        return true;
    }

    @Override
    public synchronized boolean invalidate(String owner) {
        Long installation = fixedInstallation != null ? fixedInstallation : installations.get(owner.toLowerCase(Locale.ROOT));
        return installation != null && tokens.remove(installation) != null;
    }

    @Override
    public String describe() {
        return "GitHub App " + appId;
    }

    private long lookup(String owner, String installationPath) {
        GithubApi.Response response = api.get(installationPath, this::appJwt);
        if (response.status() == 200 && response.json().hasNonNull("id")) {
            return response.json().get("id").asLong();
        }
        if (response.status() == 404) {
            throw new StoreException(StoreException.Kind.NOT_FOUND, "GitHub App " + appId + " is not installed on " + owner,
                    "install the app on " + owner + " with the secrets permissions it needs, or set installation-id");
        }
        throw appFailure(response, "finding its installation on " + owner);
    }

    private Token exchange(long installation) {
        GithubApi.Response response = api.post("/app/installations/" + installation + "/access_tokens", "{}", this::appJwt);
        JsonNode body = response.status() == 201 ? response.json() : null;
        if (body == null || !body.hasNonNull("token")) {
            if (response.status() == 404) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, "installation " + installation + " of GitHub App "
                        + appId + " not found", "check installation-id, or leave it out to look it up per owner");
            }
            throw appFailure(response, "getting an installation token");
        }
        Instant expires;
        try {
            expires = Instant.parse(body.path("expires_at").asText());
        } catch (RuntimeException e) {
            expires = api.time().now().plus(Duration.ofMinutes(55));
        }
        return new Token("Bearer " + body.get("token").asText(), expires);
    }

    private StoreException appFailure(GithubApi.Response response, String doing) {
        if (response.status() == 401) {
            return new StoreException(StoreException.Kind.PERMISSION, "GitHub refused GitHub App " + appId
                    + " (401) while " + doing, "check app-id and private-key (the app's current .pem key)");
        }
        return new StoreException(StoreException.Kind.FAILED, "GitHub App " + appId + " got " + response.status()
                + " while " + doing + ": " + response.message());
    }

    private String appJwt() {
        try {
            return jwt.getEncodedAuthorization();
        } catch (IOException | RuntimeException e) {
            throw new StoreException(StoreException.Kind.INVALID, "cannot sign the JWT of GitHub App " + appId,
                    "check private-key");
        }
    }
}
