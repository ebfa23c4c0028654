package dev.rotor.store;

import java.util.Map;

/** Where a value lives inside one store: the rendered name and the target's scope keys (environment, visibility...). */
public record Address(String name, Map<String, Object> scope) {
    public Address {
        scope = Map.copyOf(scope);
    }

    public static Address of(String name) {
        return new Address(name, Map.of());
    }

    /** A name for messages and reports: never a value. Scope keys sorted, so the same target reads the same each run. */
    public String describe() {
        return scope.isEmpty() ? name : name + " " + new java.util.TreeMap<>(scope);
    }
}
