package dev.rotor.engine;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Keyed fingerprints of copies (HMAC-SHA256 under a key kept only in the unit's journal): drift detection compares
 * what a copy holds now with what Rotor wrote without keeping, printing or shipping either value, and a fingerprint
 * seen without the key says nothing about the value.
 */
final class Fingerprints {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Fingerprints() {
    }

    static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static String of(String key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JDK");
        }
    }
}
