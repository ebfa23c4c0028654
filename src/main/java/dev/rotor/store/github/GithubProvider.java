package dev.rotor.store.github;

import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.rotor.github.AppCredentials;
import dev.rotor.github.Credentials;
import dev.rotor.github.GithubApi;
import dev.rotor.http.HttpClients;
import dev.rotor.github.PemKeys;
import dev.rotor.http.Time;
import dev.rotor.store.Capability;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;

/** {@code type: github}: GitHub Actions, Dependabot and Codespaces secrets. See docs/github.md. */
public final class GithubProvider implements Provider {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.UPDATED_AT, Capability.DELETE);
    static final Set<String> SETTING_KEYS = Set.of("repository", "repositories", "organization", "token", "app-id",
            "private-key", "installation-id", "api-url", "ca-bundle", "write-interval", "writes-per-minute",
            "writes-per-hour", "concurrency");
    static final Set<String> TARGET_KEYS = Set.of("environment", "app", "visibility", "selected-repositories");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Time time;

    public GithubProvider() {
        this(Time.SYSTEM);
    }

    /** With another clock and sleeper: for tests and the benchmark. */
    public GithubProvider(Time time) {
        this.time = time;
    }

    @Override
    public String type() {
        return "github";
    }

    @Override
    public Set<String> settingKeys() {
        return SETTING_KEYS;
    }

    /** A token, or a GitHub App's private key: {@code ${env:NAME}} references, never literals. */
    @Override
    public Set<String> credentialKeys() {
        return Set.of("token", "private-key");
    }

    @Override
    public Set<String> targetKeys() {
        return TARGET_KEYS;
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return GithubSettings.check(settings);
    }

    /** Scope rules differ for an organization store (visibility) and a repository store (environment). */
    @Override
    public List<KeyProblem> checkTarget(Map<String, Object> settings, Map<String, Object> scope) {
        Object organization = settings.get("organization");
        return GithubTarget.problems(scope, organization != null, String.valueOf(organization));
    }


    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public java.util.OptionalLong maxValueBytes() {
        return java.util.OptionalLong.of(GithubStore.MAX_VALUE_BYTES);
    }

    @Override
    public String checkTargetName(String name) {
        return nameProblem(name);
    }

    static String nameProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "GitHub secret name '" + name + "' may hold only letters, digits and underscores and must not start with a digit";
        }
        if (name.toUpperCase(Locale.ROOT).startsWith("GITHUB_")) {
            return "GitHub secret name '" + name + "' must not start with GITHUB_ (reserved by GitHub)";
        }
        return null;
    }

    /** Opens the store without any network call; credentials are used on the first request. */
    @Override
    public GithubStore openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        Map<String, String> environment = context.environment() == null ? Map.of() : context.environment();
        GithubSettings parsed = GithubSettings.parse(storeName, settings, environment, context.baseDirectory());
        GithubApi api = new GithubApi(HttpClients.create(environment, parsed.caBundle()), parsed.apiUrl(), time,
                parsed.limits(), parsed.concurrency(), context.progress(), context.resends());
        Credentials credentials;
        if (parsed.token() != null) {
            boolean workflowToken = parsed.token().equals(environment.get("GITHUB_TOKEN"))
                    && "true".equals(environment.get("GITHUB_ACTIONS")) && parsed.token().startsWith("ghs_");
            credentials = Credentials.token(parsed.token(), workflowToken);
        } else {
            credentials = new AppCredentials(parsed.appId(), PemKeys.rsaPrivateKey(parsed.privateKey()),
                    parsed.installationId(), api);
        }
        return new GithubStore(storeName, parsed, api, credentials, context.progress());
    }
}
