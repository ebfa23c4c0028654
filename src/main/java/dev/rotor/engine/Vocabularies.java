package dev.rotor.engine;

import dev.rotor.generate.Generators;
import dev.rotor.manifest.Manifest;
import dev.rotor.manifest.ManifestException;
import dev.rotor.manifest.ManifestLoader;
import dev.rotor.manifest.Vocabulary;
import dev.rotor.store.Providers;
import dev.rotor.verify.Checks;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The standard vocabulary of manifests: every registered provider, the generators, the checks and the strategies.
 * Assembled here, above them all, so that the manifest package depends on none of them.
 */
public final class Vocabularies {
    private Vocabularies() {
    }

    public static Vocabulary standard() {
        return new Vocabulary(Providers.types().stream().map(Providers::byType).flatMap(Optional::stream).toList(),
                Generators.VOCABULARY, Checks.KEYS, Checks.DURATION_KEYS, Strategies.NAMES);
    }

    /** Loads and validates a manifest with the standard vocabulary (see {@link ManifestLoader#read}). */
    public static Manifest load(Path file, Map<String, String> environment) throws ManifestException {
        return new ManifestLoader(standard()).read(file, environment);
    }
}
