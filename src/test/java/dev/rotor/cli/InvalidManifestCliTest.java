package dev.rotor.cli;

import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every malformed manifest of src/test/resources/manifests/invalid, through the CLI: exit 2, the problem at its
 * file:line:col (and as a GitHub annotation), and no store written, for validate, plan and rotate alike.
 */
class InvalidManifestCliTest {
    private static final Path INVALID = Path.of("src/test/resources/manifests/invalid");

    @TempDir
    Path dir;

    record Expectation(String file, int line, int column, String fragment) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Expectation> expectations() throws IOException {
        return Files.readAllLines(INVALID.resolve("expectations.csv")).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.split(",", 4))
                .map(p -> new Expectation(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), p[3]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void exitTwoWithFileLineColumnAndNothingWritten(Expectation expected) throws IOException {
        Path manifest = dir.resolve(expected.file());
        Files.copy(INVALID.resolve(expected.file()), manifest);
        for (String command : List.of("validate", "plan", "rotate")) {
            RotorRunner.Result r = RotorRunner.run(Map.of("GITHUB_ACTIONS", "true"), command, "-m", manifest.toString());
            assertEquals(2, r.exit(), command + ": " + r.all());
            // Every case runs with the registered store types (none uses a loader test's fake type), so each asserts.
            assertTrue(r.err().lines().anyMatch(line -> line.startsWith(manifest + ":" + expected.line() + ":"
                    + expected.column() + ": error: ") && line.contains(expected.fragment())), command + ": " + r.err());
            assertTrue(r.out().contains("::error file=" + manifest + ",line=" + expected.line() + ",col="
                    + expected.column() + "::"), r.out());
            try (Stream<Path> files = Files.walk(dir)) {
                assertEquals(List.of(manifest), files.filter(Files::isRegularFile).toList(), "no store written");
            }
        }
    }
}
