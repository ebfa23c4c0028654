package dev.rotor.manifest;

import dev.rotor.generate.Generators;
import dev.rotor.store.Provider;
import dev.rotor.store.Providers;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Loads a {@code rotation.yml}: YAML with source locations, then shape, then meaning. Every problem is collected
 * and thrown together in one {@link ManifestException}, sorted by line and column.
 */
public final class ManifestLoader {
    private final Map<String, Provider> providers;
    private final Function<GeneratorSpec, List<Generators.OptionProblem>> generatorCheck;

    /** A loader that knows these store types and checks generator options with {@code generatorCheck}. */
    public ManifestLoader(Collection<Provider> providers,
                          Function<GeneratorSpec, List<Generators.OptionProblem>> generatorCheck) {
        Map<String, Provider> byType = new LinkedHashMap<>();
        providers.forEach(p -> byType.put(p.type(), p));
        this.providers = byType;
        this.generatorCheck = generatorCheck;
    }

    /** A loader with the registered providers ({@link Providers}) and {@link Generators#check}. */
    public static ManifestLoader standard() {
        return new ManifestLoader(Providers.types().stream().map(Providers::byType).flatMap(Optional::stream).toList(),
                Generators::check);
    }

    /**
     * Loads and validates {@code file}. {@code environment} is the process environment: {@code GITHUB_ACTIONS}
     * turns on runner warnings and set {@code ${env:NAME}} variables let target names be checked fully.
     */
    public static Manifest load(Path file, Map<String, String> environment) throws ManifestException {
        return standard().read(file, environment);
    }

    /** Loads and validates {@code file}; throws one ManifestException holding every error. */
    public Manifest read(Path file, Map<String, String> environment) throws ManifestException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ManifestException(List.of(Problem.error(new Location(file, 0, 0), "", "manifest not found",
                    "pass --manifest PATH, or create rotation.yml")));
        } catch (CharacterCodingException e) {
            throw new ManifestException(List.of(Problem.error(new Location(file, 0, 0), "", "the manifest is not UTF-8 text",
                    "save it as UTF-8")));
        } catch (IOException | SecurityException e) {
            throw new ManifestException(List.of(Problem.error(new Location(file, 0, 0), "", "cannot read the manifest ("
                    + e.getClass().getSimpleName() + ")", "check that the file is readable")));
        }
        return parse(file, text, environment);
    }

    /** Validates manifest text as if read from {@code file} (for tests and stdin). */
    public Manifest parse(Path file, String text, Map<String, String> environment) throws ManifestException {
        List<Problem> problems = new ArrayList<>();
        Yaml.Node root = Yaml.parse(file, text, problems);
        if (root == null) {
            throw new ManifestException(problems);
        }
        Manifest draft = new ManifestReader(file, problems).read(root);
        Manifest manifest = new ManifestValidator(draft, new NodeIndex(root), providers, generatorCheck,
                Map.copyOf(environment), problems).validate();
        if (!problems.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparingInt((Problem p) -> p.location().line())
                    .thenComparingInt(p -> p.location().column()));
            throw new ManifestException(sorted);
        }
        return manifest;
    }
}
