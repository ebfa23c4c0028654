package dev.rotor.manifest;

import java.util.Map;

/**
 * One copy of a secret. {@code value} is a template for a derived value, or null for the raw secret.
 * {@code slot} is {@code next} for a dual-password NEXT copy, else null (CURRENT).
 * {@code scope} holds every other key (environment, visibility, repositories...), checked by the store's provider.
 */
public record TargetSpec(String store, String name, String value, String slot, Map<String, Object> scope,
                         Location location) {
    /** Holds the dual-password NEXT value, which the owner accepts before it is promoted to the CURRENT copies. */
    public boolean next() {
        return "next".equals(slot);
    }
}
