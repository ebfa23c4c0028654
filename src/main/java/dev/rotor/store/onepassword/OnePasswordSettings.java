package dev.rotor.store.onepassword;

import dev.rotor.manifest.Template;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.StoreException;

/**
 * The rendered settings of one {@code type: onepassword} store, checked before any network call; all problems are
 * reported together. The token is kept out of {@link #toString()}.
 */
record OnePasswordSettings(String host, String token, String vault, Path caBundle) {
    /** The variable 1Password's own SDKs and actions read the Connect server's URL from. */
    static final String HOST_VARIABLE = "OP_CONNECT_HOST";
    static final String DOCS = "see docs/onepassword.md for the settings of a onepassword store";

    @Override
    public String toString() {
        return "OnePasswordSettings[host=" + host + ", vault=" + vault + "]";
    }

    /** The rendered settings, or a StoreException naming every problem. */
    static OnePasswordSettings parse(String storeName, Map<String, Object> settings, Map<String, String> environment,
                                     Path baseDirectory) {
        List<KeyProblem> problems = new ArrayList<>();
        OnePasswordSettings parsed = read(settings, environment, baseDirectory, problems);
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (onepassword): "
                    + String.join("; ", problems.stream().map(KeyProblem::message).toList()), DOCS);
        }
        return parsed;
    }

    /**
     * For validate: every problem of the manifest's settings, at its key. Values still holding a template are checked
     * once rendered, and a missing host may still come from OP_CONNECT_HOST at run time.
     */
    static List<KeyProblem> check(Map<String, Object> settings) {
        List<KeyProblem> problems = new ArrayList<>();
        read(settings, null, null, problems);
        return problems;
    }

    /** With {@code environment} null, the manifest alone is read (validate). */
    private static OnePasswordSettings read(Map<String, Object> settings, Map<String, String> environment,
                                            Path baseDirectory, List<KeyProblem> problems) {
        String host = text(settings, "host");
        if (host == null && environment != null) {
            host = blankToNull(environment.get(HOST_VARIABLE));
        }
        if (host == null) {
            if (environment != null) {
                problems.add(problem("host", "set host (the Connect server's URL, e.g. http://op-connect:8080) or the "
                        + HOST_VARIABLE + " variable"));
            }
        } else if (!Template.unrendered(host)) {
            while (host.endsWith("/")) {
                host = host.substring(0, host.length() - 1);
            }
            if (!httpUrl(host)) {
                problems.add(problem("host", "host must be the http(s) URL of a 1Password Connect server, such as "
                        + "http://op-connect:8080 (without /v1)"));
            } else if (host.endsWith("/v1")) {
                problems.add(problem("host", "host is the Connect server's URL without /v1 (Rotor adds the API path)"));
            }
        }
        String token = text(settings, "token");
        if (token == null && environment != null) {
            problems.add(problem("token", settings.containsKey("token") ? "token is empty: is the variable it "
                    + "references set?" : "set token (e.g. token: ${env:OP_CONNECT_TOKEN})"));
        }
        String vault = text(settings, "vault");
        if (vault == null && settings.containsKey("vault")) {
            problems.add(problem("vault", "vault is empty: name the 1Password vault by its name or id"));
        }
        Path caBundle = null;
        String ca = text(settings, "ca-bundle");
        if (ca != null) {
            caBundle = baseDirectory == null ? Path.of(ca) : baseDirectory.resolve(ca);
        }
        return new OnePasswordSettings(host, token, vault, caBundle);
    }

    private static boolean httpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getRawQuery() == null && uri.getRawUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static KeyProblem problem(String key, String message) {
        return new KeyProblem(key, message, DOCS);
    }


    static String text(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null ? null : blankToNull(String.valueOf(value));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
