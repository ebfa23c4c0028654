package dev.rotor.manifest;

import dev.rotor.engine.Vocabularies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The malformed manifests as the CLI sees them (registered providers, real generator checks): every one is refused,
 * and the expected problem holds as written for each file that uses no test-only store type (vault).
 */
class StandardLoaderTest {
    private static final Pattern TEST_ONLY_TYPE = Pattern.compile("type: vault\\b");

    static List<MalformedManifestTest.Expectation> invalid() throws IOException {
        return MalformedManifestTest.expectations();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesEveryMalformedManifest(MalformedManifestTest.Expectation expected) throws IOException {
        Path file = MalformedManifestTest.INVALID.resolve(expected.file());
        ManifestException e = assertThrows(ManifestException.class, () -> Vocabularies.load(file, Map.of()));
        if (!TEST_ONLY_TYPE.matcher(Files.readString(file)).find()) {
            assertTrue(e.problems().stream().anyMatch(p -> p.location().line() == expected.line()
                    && p.location().column() == expected.column() && p.format().contains(expected.fragment())),
                    e::getMessage);
        }
    }
}
