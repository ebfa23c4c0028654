package dev.rotor.store.azurekeyvault;

import dev.rotor.manifest.Template;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.StoreException;

/**
 * The rendered settings of one {@code type: azure-key-vault} store and the keys of its targets, read once for
 * validate and at run time alike. No setting holds a credential: the identity comes from DefaultAzureCredential.
 */
record KeyVaultSettings(String vaultUrl, String vaultName, String clientId, Path caBundle) {
    static final String DOCS = "see docs/azure-key-vault.md";
    /** Key Vault's rules (learn.microsoft.com, "Key Vault names" and "Object names"). */
    private static final Pattern VAULT_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]");
    private static final Pattern SECRET_NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");
    private static final Pattern CLIENT_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final int MAX_TAGS = 15;
    static final int MAX_TAG_NAME = 512;
    static final int MAX_TAG_VALUE = 256;
    static final int MAX_CONTENT_TYPE = 255;

    /** A target's optional content type and tags (null and empty when it names none). */
    record Target(String contentType, Map<String, String> tags) {
    }

    static KeyVaultSettings parse(String storeName, Map<String, Object> settings, Path baseDirectory) {
        List<KeyProblem> problems = new ArrayList<>();
        KeyVaultSettings parsed = read(settings, baseDirectory, problems);
        if (!problems.isEmpty()) {
            throw invalid(storeName, problems);
        }
        return parsed;
    }

    /** For validate: every problem of the manifest's settings, at its key; templated values wait for plan. */
    static List<KeyProblem> check(Map<String, Object> settings) {
        List<KeyProblem> problems = new ArrayList<>();
        read(settings, null, problems);
        return problems;
    }

    private static KeyVaultSettings read(Map<String, Object> settings, Path baseDirectory, List<KeyProblem> problems) {
        String vault = text(settings, "vault");
        String url = text(settings, "url");
        String vaultUrl = null;
        String vaultName = null;
        if (vault != null && url != null) {
            problems.add(problem("url", "set either vault (its name) or url (its full URL), not both"));
        } else if (vault == null && url == null) {
            problems.add(problem(null, "name the vault: vault: NAME (https://NAME.vault.azure.net) or url: https://..."));
        } else if (vault != null && !Template.unrendered(vault)) {
            if (!VAULT_NAME.matcher(vault).matches() || vault.contains("--")) {
                problems.add(problem("vault", "'" + vault + "' is not a Key Vault name (3-24 letters, digits and single "
                        + "hyphens, starting with a letter; for a full URL use url:)"));
            }
            vaultName = vault;
            vaultUrl = "https://" + vault.toLowerCase(java.util.Locale.ROOT) + ".vault.azure.net";
        } else if (url != null && !Template.unrendered(url)) {
            URI uri = null;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
                problems.add(problem("url", "url must be a vault's https URL such as https://NAME.vault.azure.net "
                        + "(Key Vault takes bearer tokens over https only)"));
            } else {
                vaultUrl = "https://" + uri.getRawAuthority();
                vaultName = uri.getHost().split("\\.")[0];
            }
        }
        String clientId = text(settings, "client-id");
        if (clientId != null && !Template.unrendered(clientId) && !CLIENT_ID.matcher(clientId).matches()) {
            problems.add(problem("client-id", "client-id must be the client id (a GUID) of a user-assigned managed identity"));
        }
        Path caBundle = null;
        String ca = text(settings, "ca-bundle");
        if (ca != null) {
            caBundle = baseDirectory == null ? Path.of(ca) : baseDirectory.resolve(ca);
        }
        return new KeyVaultSettings(vaultUrl, vaultName, clientId, caBundle);
    }

    /** Problems in a target's content-type and tags, at their keys. */
    static List<KeyProblem> checkTarget(Map<String, Object> scope) {
        List<KeyProblem> problems = new ArrayList<>();
        readTarget(scope, problems);
        return problems;
    }

    static Target target(String storeName, Map<String, Object> scope) {
        List<KeyProblem> problems = new ArrayList<>();
        Target target = readTarget(scope, problems);
        if (!problems.isEmpty()) {
            throw invalid(storeName, problems);
        }
        return target;
    }

    private static Target readTarget(Map<String, Object> scope, List<KeyProblem> problems) {
        Object contentType = scope.get("content-type");
        if (contentType != null && !(contentType instanceof String)) {
            problems.add(problem("content-type", "content-type must be text, e.g. text/plain"));
            contentType = null;
        } else if (contentType != null && contentType.toString().length() > MAX_CONTENT_TYPE) {
            problems.add(problem("content-type", "content-type is longer than Key Vault's " + MAX_CONTENT_TYPE + " characters"));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        Object rawTags = scope.get("tags");
        if (rawTags != null && !(rawTags instanceof Map<?, ?>)) {
            problems.add(problem("tags", "tags must be a map of names to values, e.g. { owner: platform }"));
        } else if (rawTags != null) {
            Map<?, ?> map = (Map<?, ?>) rawTags;
            if (map.size() > MAX_TAGS) {
                problems.add(problem("tags", "a Key Vault secret holds at most " + MAX_TAGS + " tags, not " + map.size()));
            }
            map.forEach((key, value) -> {
                String name = String.valueOf(key);
                if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
                    problems.add(problem("tags." + name, "tag '" + name + "' must have a text value"));
                } else if (name.length() > MAX_TAG_NAME) {
                    problems.add(problem("tags." + name, "tag names are at most " + MAX_TAG_NAME + " characters"));
                } else if (value.toString().length() > MAX_TAG_VALUE) {
                    problems.add(problem("tags." + name, "tag '" + name + "' is longer than " + MAX_TAG_VALUE + " characters"));
                } else {
                    tags.put(name, value.toString());
                }
            });
        }
        return new Target((String) contentType, tags);
    }

    /** Why a rendered target name cannot be a Key Vault secret name, or null. */
    static String checkSecretName(String name) {
        return name != null && SECRET_NAME.matcher(name).matches() ? null
                : "a Key Vault secret name is 1-127 letters, digits and hyphens";
    }

    private static StoreException invalid(String storeName, List<KeyProblem> problems) {
        return new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (azure-key-vault): "
                + String.join("; ", problems.stream().map(KeyProblem::message).toList()), DOCS);
    }

    private static KeyProblem problem(String key, String message) {
        return new KeyProblem(key, message, DOCS + " for the settings of an azure-key-vault store");
    }


    private static String text(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value).trim();
    }
}
