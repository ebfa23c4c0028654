package dev.rotor.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.generate.Jwks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The forms a keyset's live versions take in a copy: {@code ${secret.keys}} and {@code ${secret.jwks}}. */
final class KeySets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeySets() {
    }

    /** {@code {"jwt-secret-v1": "...", "jwt-secret-v2": "..."}}, oldest first. */
    static String json(Map<String, String> live) {
        try {
            return JSON.writeValueAsString(new LinkedHashMap<>(live));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a key set could not be written as JSON");
        }
    }

    /** The public keys of the live versions, as a JWKS document. */
    static String jwks(Map<String, String> live) {
        return Jwks.publicKeys(new LinkedHashMap<>(live));
    }
}
