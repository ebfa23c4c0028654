package dev.rotor.manifest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which setting keys name a credential (and so must be {@code ${env:NAME}} references, never literals). */
final class Credentials {
    private static final Set<String> WORDS = Set.of("token", "password", "passwd", "pwd", "secret", "passphrase",
            "credential", "credentials", "pat", "apikey", "sas", "connectionstring");
    /** A last word that makes the key name a reference to a credential rather than the credential itself. */
    private static final Set<String> REFERENCE_WORDS = Set.of("file", "path", "name", "id", "env", "variable", "url",
            "header", "type", "version", "ttl", "user", "username");

    private Credentials() {
    }

    static boolean looksLikeCredential(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        List<String> words = Arrays.asList(lower.split("[-_.]"));
        String last = words.get(words.size() - 1);
        if (REFERENCE_WORDS.contains(last)) {
            return false;
        }
        return last.equals("key") || words.stream().anyMatch(WORDS::contains)
                || lower.replaceAll("[-_.]", "").contains("connectionstring");
    }

    /** A variable name to suggest for a credential key: {@code client-secret} gives {@code CLIENT_SECRET}. */
    static String variableName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
