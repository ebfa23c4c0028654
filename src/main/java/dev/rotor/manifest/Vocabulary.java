package dev.rotor.manifest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every type a manifest may name, with the rules each declares: store types, generators, check types (the key that
 * names each, with the keys it takes) and strategies. The manifest package defines it and depends on nothing; the
 * engine assembles the standard one from the providers, generators, checks and strategies
 * ({@code engine.Vocabularies}), and tests assemble fakes. The loader and the JSON Schema both come from it.
 *
 * @param checkKeys       each check type (its discriminating key, e.g. {@code http}) with every key it takes
 * @param durationKeys    the check keys whose value is a duration
 * @param strategies      every strategy name the manifest may use
 */
public record Vocabulary(List<? extends StoreType> storeTypes, GeneratorTypes generators,
                         Map<String, Set<String>> checkKeys, Set<String> durationKeys, Set<String> strategies) {
}
