package dev.rotor.manifest;

import java.util.Map;

/**
 * One copy of a secret. {@code value} is a template for a derived value, or null for the raw secret.
 * {@code scope} holds every other key (environment, visibility, repositories...), checked by the store's provider.
 */
public record TargetSpec(String store, String name, String value, Map<String, Object> scope, Location location) {
}
