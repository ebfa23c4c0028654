package dev.rotor.store.vault;

import dev.rotor.manifest.Template;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.StoreException;

/**
 * The rendered settings of one {@code type: vault-kv} store, checked before any network call; all problems are
 * reported together. The token is kept out of {@link #toString()}.
 */
record VaultSettings(String address, String mount, String namespace, String token, boolean githubOidc, String role,
                     String authMount, String audience, Path caBundle, String journalPath) {
    static final String DEFAULT_MOUNT = "secret";
    static final String DEFAULT_AUTH_MOUNT = "jwt";
    static final String DEFAULT_JOURNAL_PATH = "rotor/journal";
    static final String GITHUB_OIDC = "github-oidc";

    @Override
    public String toString() {
        return "VaultSettings[address=" + address + ", mount=" + mount + ", namespace=" + namespace + ", auth="
                + (githubOidc ? GITHUB_OIDC + " role " + role : "token") + ", journalPath=" + journalPath + "]";
    }

    /** The rendered settings, or a StoreException naming every problem. */
    static VaultSettings parse(String storeName, Map<String, Object> settings, Map<String, String> environment,
                               Path baseDirectory) {
        List<KeyProblem> problems = new ArrayList<>();
        VaultSettings parsed = read(settings, environment, baseDirectory, problems);
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (vault-kv): "
                    + String.join("; ", problems.stream().map(KeyProblem::message).toList()),
                    "see docs/vault.md for the settings of a vault-kv store");
        }
        return parsed;
    }

    /**
     * For validate: every problem of the manifest's settings, at its key. Values still holding a template are
     * checked once rendered, and a missing address may still come from VAULT_ADDR at run time.
     */
    static List<KeyProblem> check(Map<String, Object> settings) {
        List<KeyProblem> problems = new ArrayList<>();
        read(settings, null, null, problems);
        return problems;
    }

    /** With {@code environment} null, the manifest alone is read (validate). */
    private static VaultSettings read(Map<String, Object> settings, Map<String, String> environment,
                                      Path baseDirectory, List<KeyProblem> problems) {
        String address = text(settings, "address");
        if (address == null && environment != null) {
            address = blankToNull(environment.get("VAULT_ADDR"));
        }
        if (address == null) {
            if (environment != null) {
                problems.add(problem("address", "set address (e.g. https://vault.example.com:8200) or the VAULT_ADDR "
                        + "variable"));
            }
        } else if (!Template.unrendered(address)) {
            address = stripTrailingSlashes(address);
            URI uri = null;
            try {
                uri = URI.create(address);
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (uri == null || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                problems.add(problem("address", "address must be an http(s) URL such as https://vault.example.com:8200"));
            }
        }
        String mount = trimSlashes(orDefault(text(settings, "mount"), DEFAULT_MOUNT));
        if (!Template.unrendered(mount) && !VaultPaths.valid(mount)) {
            problems.add(problem("mount", "mount '" + mount + "' is not a Vault mount path"));
        }
        String namespace = text(settings, "namespace");
        if (namespace != null) {
            namespace = trimSlashes(namespace);
        }
        String journalPath = trimSlashes(orDefault(text(settings, "journal-path"), DEFAULT_JOURNAL_PATH));
        if (!Template.unrendered(journalPath) && !VaultPaths.valid(journalPath)) {
            problems.add(problem("journal-path", "journal-path '" + journalPath + "' is not a KV secret path"));
        }

        String token = text(settings, "token");
        String auth = text(settings, "auth");
        String role = text(settings, "role");
        String authMount = trimSlashes(orDefault(text(settings, "auth-mount"), DEFAULT_AUTH_MOUNT));
        String audience = text(settings, "audience");
        boolean oidc = false;
        if (auth != null && !Template.unrendered(auth) && !GITHUB_OIDC.equals(auth)) {
            problems.add(problem("auth", "auth must be " + GITHUB_OIDC + " (or leave it out and set token)"));
        } else if (auth != null) {
            oidc = true;
            if (token != null) {
                problems.add(problem("token", "set either token or auth: " + GITHUB_OIDC + ", not both"));
            }
            if (role == null) {
                problems.add(problem("auth", "auth: " + GITHUB_OIDC + " needs role (the Vault JWT role to log in with)"));
            }
            if (!Template.unrendered(authMount) && !VaultPaths.valid(authMount)) {
                problems.add(problem("auth-mount", "auth-mount '" + authMount + "' is not a Vault mount path"));
            }
        } else {
            if (token == null) {
                problems.add(problem(settings.containsKey("token") ? "token" : null, settings.containsKey("token")
                        ? "token is empty: is the variable it references set?"
                        : "set token (e.g. token: ${env:ROTOR_VAULT_TOKEN}) or auth: " + GITHUB_OIDC + " with role"));
            }
            if (role != null || settings.containsKey("auth-mount") || audience != null) {
                problems.add(problem(role != null ? "role" : audience != null ? "audience" : "auth-mount",
                        "role, auth-mount and audience belong to auth: " + GITHUB_OIDC));
            }
        }
        Path caBundle = null;
        String ca = text(settings, "ca-bundle");
        if (ca != null) {
            caBundle = baseDirectory == null ? Path.of(ca) : baseDirectory.resolve(ca);
        }
        return new VaultSettings(address, mount, namespace, token, oidc, role, authMount, audience, caBundle, journalPath);
    }

    private static KeyProblem problem(String key, String message) {
        return new KeyProblem(key, message, "see docs/vault.md for the settings of a vault-kv store");
    }


    private static String text(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        return value == null ? null : blankToNull(String.valueOf(value));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String stripTrailingSlashes(String value) {
        String out = value;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    static String trimSlashes(String value) {
        String out = stripTrailingSlashes(value);
        while (out.startsWith("/")) {
            out = out.substring(1);
        }
        return out;
    }
}
