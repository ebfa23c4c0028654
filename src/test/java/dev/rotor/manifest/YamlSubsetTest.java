package dev.rotor.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * YamlSubset must read text exactly as SnakeYAML through Jackson does, or not at all: every tree it gives is
 * compared with {@link Yaml#parseWithJackson}'s (values and their types, text, style, every location).
 */
class YamlSubsetTest {
    private static final Path FILE = Path.of("rotation.yml");

    /** A manifest written with every form the subset reads. */
    private static final String SAMPLE = """
            # leading comment
            version: 1
            environments:
              dev: { vars: { rg: rg-dev, count: 3 } }   # trailing comment
              prod:
                vars:
                  rg: "rg-prod"
                  quoted: 'it''s'
                  empty: ''
            stores:
              keys:
                type: files
                directory: ./state/keys
                keep-backups: 2
                flag: true
                other: False
                none: ~
                nothing:
                uuid: 11111111-2222-4333-8444-555555555555
                port: "8080"
              app-env: { type: dotenv, path: state/app.env,
                         port: 5432, list: [a, "b", 'c', 7, -3],
                         # a comment inside
                         empty: , last: x }
            secrets:
              s000-password:
                generate: { type: password, length: 32, classes: [lower, upper], exclude: "lIO01" }
                max-age: 90d
                targets:
                - { store: keys, name: s000.txt }
                - store: app-env
                  name: S000_URL
                  value: "postgresql://app:${secret.url}@db:5432/app?sslmode=require"
                  scope: {}
                verify:
                  -   http: https://example.org/healthz#top
                      expect: 200
                      retries: -1
                  - [ ]
                  - plain text with colon-free words, commas, [brackets] and {braces}
                  - 'single'   # comment
                  - "double"
            """;

    /** The subset's tree when it reads {@code text}, after checking it against Jackson's; null when it declines. */
    private static Yaml.Node agreeing(String text) {
        Yaml.Node subset = YamlSubset.read(FILE, text);
        if (subset != null) {
            List<Problem> problems = new ArrayList<>();
            Yaml.Node jackson = Yaml.parseWithJackson(FILE, text, problems);
            assertEquals(List.of(), problems, () -> "the subset read text Jackson refuses:\n" + text);
            assertEquals(jackson, subset, () -> "the subset read differently:\n" + text);
        }
        return subset;
    }

    @Test
    void readsTheSampleAsJacksonDoes() {
        assertNotNull(agreeing(SAMPLE));
    }

    static Stream<Path> manifests() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(Path.of("examples"), Path.of("src/test/resources/manifests"))) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void readsEveryYamlFileOfTheRepositoryAsJacksonDoesOrNotAtAll(Path file) throws IOException {
        agreeing(Files.readString(file));
    }

    /** The example manifests without block scalars are in the subset: the fast path is the common one. */
    @ParameterizedTest
    @ValueSource(strings = {"examples/local/rotation.yml", "examples/compose/rotation.yml",
            "examples/manifests/mindwell.yml", "examples/manifests/platform-k8s.yml",
            "src/test/resources/manifests/valid/full.yml"})
    void readsTheExampleManifests(String file) throws IOException {
        assertNotNull(agreeing(Files.readString(Path.of(file))));
    }

    /** What SnakeYAML reads otherwise, reports, or rejects is left to it. */
    @ParameterizedTest
    @ValueSource(strings = {"", "# only a comment\n", "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: 1\n---\nb: 2\n",
            "- a\n", "a: yes\n", "a: off\n", "a: 0x1F\n", "a: 010\n", "a: 1_000\n", "a: 1.5\n", "a: .inf\n",
            "a: 2026-01-02\n", "a: 2026-01-02 10:00:00\n", "a: 12345678901\n", "a: +1\n", "a: -0\n", "a: \"x\\ty\"\n", "a: |\n  x\n",
            "a: >\n  x\n", "a: b\n  c\n", "a: \"x\n  y\"\n", "a: !!str 1\n", "a:\tb\n", "a: b\r\n", "\uFEFFa: b\n",
            "a: { b: 1,\nc: 2 }\n", "a: [b, ]\n", "a: { b:1 }\n", "a: [b: 1]\n", "a: { http://x: 1 }\n",
            "a: [x?y]\n", "1: a\n", "true: a\n", "a : b\n", "a: b: c\n", "a: b #c\n  d: e\n", "a:\n- b\n-\n  - c\n",
            "%YAML 1.1\n---\na: b\n", "a: \"b\"#c\n", "<<: {a: 1}\n", "a: '\n'\n", "a: @b\n", "a: `b\n"})
    void leavesEverythingElseToSnakeYaml(String text) {
        assertNull(YamlSubset.read(FILE, text), () -> "read:\n" + text);
    }

    /**
     * Mutations of the sample (a character inserted, removed or replaced, a line indented or joined): whatever the
     * subset still reads, Jackson reads the same way; enough of them are read for the comparison to mean something.
     */
    @Test
    void readsMutatedManifestsAsJacksonDoesOrNotAtAll() {
        Random random = new Random(7);
        String alphabet = " \n:-#{}[],'\"&*!|>?%@`~.0123456789eEtTfFnNxYyabc_$/";
        int read = 0;
        int runs = 3000;
        for (int i = 0; i < runs; i++) {
            StringBuilder text = new StringBuilder(SAMPLE);
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                int at = random.nextInt(text.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(5)) {
                    case 0 -> text.insert(at, c);
                    case 1 -> text.deleteCharAt(at);
                    case 2 -> text.setCharAt(at, c);
                    case 3 -> text.insert(text.lastIndexOf("\n", at) + 1, "  ");
                    default -> {
                        int newline = text.indexOf("\n", at);
                        if (newline >= 0 && newline + 1 < text.length()) {
                            text.deleteCharAt(newline);
                        }
                    }
                }
            }
            if (agreeing(text.toString()) != null) {
                read++;
            }
        }
        assertTrue(read > runs / 10, "only " + read + " of " + runs + " mutations were read");
    }
}
