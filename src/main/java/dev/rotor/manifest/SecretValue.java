package dev.rotor.manifest;

import java.util.Map;
import java.util.Set;

/**
 * What {@code ${secret}}, {@code ${secret.FIELD}} and {@code ${secret.FIELD.ENCODING}} render: the value (the
 * password, the key), and the parts of a credential that has more than one: the user of alternating-users, the key
 * id and the live key set of a keyset. Never printed: {@link #toString()} names the fields only.
 */
public record SecretValue(String value, Map<String, String> fields) {
    public static final String PASSWORD = "password";
    public static final String USERNAME = "username";
    public static final String KID = "kid";
    /** A keyset's live versions as one JSON object, key id to key, oldest first. */
    public static final String KEYS = "keys";
    /** A keyset's live public keys as a JWKS document (asymmetric keys only). */
    public static final String JWKS = "jwks";

    public SecretValue {
        fields = Map.copyOf(fields);
    }

    public static SecretValue of(String value) {
        return new SecretValue(value, Map.of());
    }

    /** The fields a strategy's credential has: every one has the password (the value itself). */
    public static Set<String> fieldsOf(String strategy) {
        return switch (strategy == null ? "" : strategy) {
            case "alternating-users" -> Set.of(PASSWORD, USERNAME);
            case "keyset" -> Set.of(PASSWORD, KID, KEYS, JWKS);
            default -> Set.of(PASSWORD);
        };
    }

    /** A field's text; null when this credential has no such field. */
    public String field(String name) {
        return PASSWORD.equals(name) ? value : fields.get(name);
    }

    @Override
    public String toString() {
        return "SecretValue" + fields.keySet();
    }
}
