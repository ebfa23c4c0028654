package dev.rotor.generate;

import dev.rotor.manifest.GeneratorSpec;
import dev.rotor.manifest.Location;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builds specs and generators for tests. */
final class Specs {
    static final SecureRandom RANDOM = new SecureRandom();

    private Specs() {
    }

    /** A spec of {@code type} with options given as key, value, key, value... */
    static GeneratorSpec spec(String type, Object... keysAndValues) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            options.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new GeneratorSpec(type, options, new Location(Path.of("rotation.yml"), 3, 15));
    }

    static Generator generator(String type, Object... keysAndValues) {
        return generator(Map.of(), Path.of("."), spec(type, keysAndValues));
    }

    static Generator generator(Map<String, String> environment, Path base, GeneratorSpec spec) {
        assertEquals(List.of(), Generators.check(spec), "the spec is valid");
        return Generators.create(spec, environment, base, RANDOM);
    }

    /** {@code count} values, asserting they are all different and all meet the generator's own policy. */
    static List<String> distinctValues(Generator generator, int count) {
        Set<String> seen = new HashSet<>();
        List<String> values = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = generator.generate();
            assertTrue(seen.add(value), "value " + i + " repeats an earlier one");
            assertEquals(List.of(), generator.policyViolations(value), "a generated value meets its policy");
            values.add(value);
        }
        return values;
    }
}
