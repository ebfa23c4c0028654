package dev.rotor.generate;

import dev.rotor.manifest.Suggestions;
import dev.rotor.manifest.GeneratorSpec;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Builds generators from {@code generate:} specs and checks their options before any run. */
public final class Generators {
    /** A problem with one option ({@code key} null for the spec as a whole, "type" for the type). */
    public record OptionProblem(String key, String message, String suggestion) {
    }

    /**
     * What one option accepts, for the JSON Schema and docs: {@code kind} is integer, string or list;
     * {@code allowed} lists the valid names (empty when free); {@code minimum}/{@code maximum} bound integers.
     */
    public record OptionInfo(String key, String kind, boolean required, Object defaultValue, List<String> allowed,
                             Integer minimum, Integer maximum) {
    }

    private static final Map<String, GeneratorType> BY_TYPE = registry(
            PasswordGenerator.TYPE,
            RandomBytesGenerator.TYPE,
            UuidGenerator.TYPE,
            RsaKeys.TYPE,
            EcKeys.TYPE,
            Ed25519Keys.TYPE,
            JwtHmacKeys.TYPE,
            ProvidedValue.TYPE);

    /** The valid {@code generate.type} names, in documentation order. */
    public static final Set<String> TYPES = Collections.unmodifiableSet(BY_TYPE.keySet());

    private Generators() {
    }

    private static Map<String, GeneratorType> registry(GeneratorType... types) {
        Map<String, GeneratorType> byType = new LinkedHashMap<>();
        for (GeneratorType type : types) {
            byType.put(type.name(), type);
        }
        return byType;
    }

    /** The options a type accepts; empty for an unknown type. */
    public static List<OptionInfo> options(String type) {
        GeneratorType known = BY_TYPE.get(type);
        return known == null ? List.of() : known.options().stream().map(Option::info).toList();
    }

    /** Every problem of a spec's type and options; empty when valid. Never reads the environment or files. */
    public static List<OptionProblem> check(GeneratorSpec spec) {
        List<OptionProblem> problems = new ArrayList<>();
        read(spec, problems);
        return problems;
    }

    /**
     * A generator for a valid spec. {@code environment} supplies {@code provided} values (action inputs arrive as
     * environment variables too); {@code baseDirectory} resolves a {@code provided} file (the manifest's folder).
     *
     * @throws IllegalArgumentException when {@link #check} reports problems (the loader should have refused the spec)
     */
    public static Generator create(GeneratorSpec spec, Map<String, String> environment, Path baseDirectory,
                                   SecureRandom random) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(random, "random");
        List<OptionProblem> problems = new ArrayList<>();
        Options options = read(spec, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid generate spec at " + spec.location() + ": "
                    + problems.stream().map(p -> (p.key() == null ? "" : p.key() + ": ") + p.message()).toList());
        }
        return BY_TYPE.get(spec.type()).factory()
                .create(options, new GeneratorType.Context(environment, baseDirectory, random));
    }

    /**
     * The most characters a valid spec's values can have, for stores with a size limit; empty when unknown
     * ({@code provided}) or when the spec is invalid (its problems are reported by {@link #check}).
     */
    public static java.util.OptionalInt maxLength(GeneratorSpec spec) {
        if (!check(spec).isEmpty()) {
            return java.util.OptionalInt.empty();
        }
        return create(spec, Map.of(), Path.of("."), new SecureRandom()).maxLength();
    }

    private static Options read(GeneratorSpec spec, List<OptionProblem> problems) {
        String type = spec.type();
        if (type == null || type.isBlank()) {
            problems.add(new OptionProblem("type", "generate needs a type",
                    "valid types: " + String.join(", ", new java.util.TreeSet<>(TYPES))));
            return null;
        }
        GeneratorType known = BY_TYPE.get(type);
        if (known == null) {
            problems.add(new OptionProblem("type", "unknown generator type '" + type + "'",
                    Suggestions.didYouMean(type, TYPES, "types")));
            return null;
        }
        Map<String, Object> raw = spec.options() == null ? Map.of() : spec.options();
        int before = problems.size();
        Options options = Options.read(known, raw, problems);
        if (problems.size() == before) {
            known.crossCheck().check(options, problems);
        }
        return options;
    }
}
