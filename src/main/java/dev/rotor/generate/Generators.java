package dev.rotor.generate;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.manifest.OptionInfo;

import dev.rotor.manifest.Suggestions;
import dev.rotor.manifest.GeneratorSpec;
import dev.rotor.manifest.GeneratorTypes;

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

    /** The generators as the manifest sees them: types, options, checks and value bounds. */
    public static final GeneratorTypes VOCABULARY = new GeneratorTypes() {
        @Override
        public List<String> types() {
            return List.copyOf(TYPES);
        }

        @Override
        public List<OptionInfo> options(String type) {
            return Generators.options(type);
        }

        @Override
        public List<KeyProblem> check(GeneratorSpec spec) {
            return Generators.check(spec);
        }

        @Override
        public java.util.OptionalInt maxLength(GeneratorSpec spec) {
            return Generators.maxLength(spec);
        }
    };

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
    public static List<KeyProblem> check(GeneratorSpec spec) {
        List<KeyProblem> problems = new ArrayList<>();
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
        List<KeyProblem> problems = new ArrayList<>();
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

    private static Options read(GeneratorSpec spec, List<KeyProblem> problems) {
        String type = spec.type();
        if (type == null || type.isBlank()) {
            problems.add(new KeyProblem("type", "generate needs a type",
                    "valid types: " + String.join(", ", new java.util.TreeSet<>(TYPES))));
            return null;
        }
        GeneratorType known = BY_TYPE.get(type);
        if (known == null) {
            problems.add(new KeyProblem("type", "unknown generator type '" + type + "'",
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
