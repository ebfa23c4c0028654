package dev.rotor.engine;

import java.util.Set;

/** The rotation strategies by manifest name. */
public final class Strategies {
    /** Every name the manifest may use. */
    public static final Set<String> NAMES = Set.of("single-user", "alternating-users", "dual-password", "keyset");
    /** The names implemented so far; the others are rejected by validation as "not available yet". */
    public static final Set<String> IMPLEMENTED = Set.of("single-user");

    private Strategies() {
    }
}
