package dev.rotor.generate;

import dev.rotor.manifest.GeneratorSpec;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds generators from {@code generate:} specs and checks their options before any run. */
public final class Generators {
    /** A problem with one option ({@code key} null for the spec as a whole). */
    public record OptionProblem(String key, String message, String suggestion) {
    }

    public static final Set<String> TYPES = Set.of("password", "bytes", "uuid", "rsa", "ec", "ed25519", "jwt-hmac",
            "provided");

    private Generators() {
    }

    /** Every problem of a spec's type and options; empty when valid. */
    public static List<OptionProblem> check(GeneratorSpec spec) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A generator for a valid spec; {@code environment} supplies {@code provided} values. */
    public static Generator create(GeneratorSpec spec, Map<String, String> environment, java.nio.file.Path baseDirectory, SecureRandom random) {
        throw new UnsupportedOperationException("TODO");
    }
}
