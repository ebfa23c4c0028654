package dev.rotor.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file under {@code manifests/invalid/} is refused with a problem at the line and column that
 * {@code expectations.csv} gives ({@code file,line,column,message-fragment}; the fragment is the rest of the line).
 */
class MalformedManifestTest {
    record Expectation(String file, int line, int column, String fragment) {
        @Override
        public String toString() {
            return file;
        }
    }

    static final Path INVALID = Fakes.manifests().resolve("invalid");

    static List<Expectation> expectations() throws IOException {
        return Files.readAllLines(INVALID.resolve("expectations.csv")).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.split(",", 4))
                .map(c -> new Expectation(c[0], Integer.parseInt(c[1]), Integer.parseInt(c[2]), c[3]))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void isRefusedWithLocationAndMessage(Expectation expected) {
        Path file = INVALID.resolve(expected.file());
        ManifestException e = assertThrows(ManifestException.class, () -> Fakes.LOADER.read(file, Map.of()));
        List<Problem> problems = e.problems();
        assertFalse(problems.isEmpty());
        boolean found = problems.stream().anyMatch(p -> p.location().line() == expected.line()
                && p.location().column() == expected.column() && p.format().contains(expected.fragment()));
        assertTrue(found, () -> "expected " + expected.line() + ":" + expected.column() + " '" + expected.fragment()
                + "' among:\n" + problems.stream().map(Problem::format).collect(Collectors.joining("\n")));
        for (Problem p : problems) {
            assertEquals(file, p.location().file());
            assertTrue(p.location().line() >= 1 && p.location().column() >= 1, p::format);
            assertFalse(p.warning(), p::format);
        }
    }

    @Test
    void everyInvalidFileHasAnExpectationAndThereAreEnough() throws IOException {
        List<String> listed = expectations().stream().map(Expectation::file).toList();
        List<String> files;
        try (Stream<Path> all = Files.list(INVALID)) {
            files = all.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
        assertEquals(files, listed.stream().sorted().toList());
        assertTrue(files.size() >= 35, "at least 35 malformed manifests");
    }

    @Test
    void problemsAreCollectedTogetherInLineOrder() {
        String text = """
                version: 1
                stores:
                  local: { type: file, directory: /tmp/rotor }
                secrets:
                  a:
                    generate: { type: password, length: 32 }
                    max-age: soon
                    targets:
                      - { store: lcoal, name: a }
                  b:
                    generate: { type: passwrd }
                    targets:
                      - { store: local, name: "${vars.x}" }
                """;
        ManifestException e = assertThrows(ManifestException.class,
                () -> Fakes.LOADER.parse(Path.of("many.yml"), text, Map.of()));
        List<String> messages = e.problems().stream().map(Problem::format).toList();
        assertEquals(5, messages.size(), String.join("\n", messages));
        assertTrue(messages.get(0).startsWith("many.yml:3:18: error: stores.local.type: unknown store type 'file'"));
        assertTrue(messages.get(1).startsWith("many.yml:7:14: error: secrets.a.max-age:"));
        assertTrue(messages.get(2).startsWith("many.yml:9:18: error: secrets.a.targets[0].store: unknown store 'lcoal'"));
        assertTrue(messages.get(3).startsWith("many.yml:11:17: error: secrets.b.generate.type:"));
        assertTrue(messages.get(4).startsWith("many.yml:13:32: error: secrets.b.targets[0].name: unknown variable 'x'"), messages.get(4));
        assertTrue(e.getMessage().contains("\n"), "the exception's message lists every problem");
    }
}
