package dev.rotor.engine;

import dev.rotor.generate.Generators;
import dev.rotor.manifest.Manifest;
import dev.rotor.manifest.ManifestException;
import dev.rotor.manifest.ManifestLoader;
import dev.rotor.manifest.Vocabulary;
import dev.rotor.store.Provider;
import dev.rotor.store.Providers;
import dev.rotor.verify.Checks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        // A loop, not a stream of method references: each would spin a lambda class on every start.
        List<Provider> providers = new ArrayList<>();
        for (String type : Providers.types()) {
            Optional<Provider> provider = Providers.byType(type);
            if (provider.isPresent()) {
                providers.add(provider.get());
            }
        }
        return new Vocabulary(List.copyOf(providers), Generators.VOCABULARY, Checks.KEYS, Checks.DURATION_KEYS,
                Strategies.NAMES);
    }

    /** Loads and validates a manifest with the standard vocabulary (see {@link ManifestLoader#read}). */
    public static Manifest load(Path file, Map<String, String> environment) throws ManifestException {
        return new ManifestLoader(standard()).read(file, environment);
    }
}
