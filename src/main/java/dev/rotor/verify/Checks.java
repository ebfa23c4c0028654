package dev.rotor.verify;

import java.util.Map;
import java.util.Set;

/** The {@code verify:} check types, keyed by the discriminating key, with the keys each allows. */
public final class Checks {
    public static final Map<String, Set<String>> KEYS = Map.of(
            "http", Set.of("http", "expect", "contains", "retries", "interval", "timeout", "method"),
            "command", Set.of("command", "env", "timeout", "workdir"));

    private Checks() {
    }
}
