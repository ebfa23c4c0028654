package dev.rotor.engine;

import java.util.Map;
import java.util.Set;

/** The rotation strategies by manifest name. */
public final class Strategies {
    private static final Map<String, Strategy> BY_NAME = Map.of(
            "single-user", new PasswordStrategy("single-user"),
            "dual-password", new PasswordStrategy("dual-password"),
            "alternating-users", new AlternatingUsersStrategy(),
            "keyset", new KeysetStrategy());
    /** Every name the manifest may use. */
    public static final Set<String> NAMES = BY_NAME.keySet();

    private Strategies() {
    }

    static Strategy byName(String name) {
        return BY_NAME.get(name == null ? "single-user" : name);
    }
}
