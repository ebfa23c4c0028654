package dev.rotor.generate;

import dev.rotor.manifest.GeneratorSpec;
import dev.rotor.manifest.Location;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bound validate uses for stores with a size limit holds for every generated value. */
class MaxLengthTest {
    static List<GeneratorSpec> specs() {
        return List.of(spec("password", Map.of("length", 40)), spec("bytes", Map.of("length", 48)),
                spec("bytes", Map.of("length", 32, "encoding", "hex")),
                spec("bytes", Map.of("length", 31, "encoding", "base64url")), spec("uuid", Map.of()),
                spec("jwt-hmac", Map.of("algorithm", "HS512")), spec("ec", Map.of("curve", "P-521")),
                spec("ec", Map.of()), spec("ed25519", Map.of()), spec("rsa", Map.of("bits", 2048)));
    }

    private static GeneratorSpec spec(String type, Map<String, Object> options) {
        return new GeneratorSpec(type, options, Location.UNKNOWN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void noGeneratedValueIsLongerThanTheBound(GeneratorSpec spec) {
        OptionalInt max = Generators.maxLength(spec);
        assertTrue(max.isPresent());
        Generator generator = Generators.create(spec, Map.of(), Path.of("."), new SecureRandom());
        int samples = spec.type().equals("rsa") ? 2 : 20;
        for (int i = 0; i < samples; i++) {
            int length = generator.generate().length();
            assertTrue(length <= max.getAsInt(), length + " > " + max.getAsInt());
            assertTrue(length >= max.getAsInt() * 0.9, "the bound is tight enough to be useful: " + length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void unknownForProvidedValuesAndInvalidSpecs(GeneratorSpec ignored) {
        assertEquals(OptionalInt.empty(), Generators.maxLength(spec("provided", Map.of("variable", "X"))));
        assertEquals(OptionalInt.empty(), Generators.maxLength(spec("password", Map.of("length", "long"))));
    }
}
