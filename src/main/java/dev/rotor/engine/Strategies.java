package dev.rotor.engine;

import java.util.Map;
import java.util.Set;

/** The rotation strategies by manifest name. */
public final class Strategies {
    /** Every name the manifest may use. */
    public static final Set<String> NAMES = Set.of("single-user", "alternating-users", "dual-password", "keyset");
    private static final Map<String, Strategy> IMPLEMENTATIONS = Map.of("single-user", new SingleUserStrategy());
    /** The names implemented so far; the others are rejected by validation as "not available yet". */
    public static final Set<String> IMPLEMENTED = IMPLEMENTATIONS.keySet();

    private Strategies() {
    }

    static Strategy byName(String name) {
        return IMPLEMENTATIONS.get(name == null ? "single-user" : name);
    }
}
