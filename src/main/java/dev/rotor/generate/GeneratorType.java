package dev.rotor.generate;

import dev.rotor.manifest.KeyProblem;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * One {@code generate.type}: its options, the checks that involve several options, and how to build its generator.
 * Adding a type is one class declaring a {@code TYPE} and one line in {@link Generators}.
 */
record GeneratorType(String name, List<Option<?>> options, CrossCheck crossCheck, Factory factory) {
    /** What a generator may use besides its options. */
    record Context(Map<String, String> environment, Path baseDirectory, SecureRandom random) {
    }

    interface Factory {
        Generator create(Options options, Context context);
    }

    /** Problems that involve several options (run only when every option parsed). */
    interface CrossCheck {
        void check(Options options, List<KeyProblem> problems);
    }

    GeneratorType(String name, List<Option<?>> options, Factory factory) {
        this(name, options, (options1, problems) -> { }, factory);
    }
}
