package dev.rotor.github;

import dev.rotor.engine.Vocabularies;
import dev.rotor.manifest.ManifestException;
import dev.rotor.manifest.ManifestLoader;
import dev.rotor.manifest.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What `rotor validate` knows about GitHub targets before any request: secret names and the 48 KB limit. */
class GithubValidateTest {
    @TempDir
    Path dir;

    private Path manifest(String secrets) throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  gh: { type: github, repository: acme/web, token: "${env:ROTOR_GITHUB_TOKEN}" }
                secrets:
                """ + secrets.indent(2));
        return file;
    }

    @Test
    void aTargetThatCanOutgrowTheFortyEightKilobyteLimitIsRefused() throws Exception {
        Path file = manifest("""
                big:
                  generate: { type: password, length: 4096 }
                  targets:
                    - { store: keys, name: big }
                    - { store: gh, name: BIG_JSON, value: "${secret.json}${secret.json}!" }
                """);
        ManifestException e = assertThrows(ManifestException.class, () -> Vocabularies.load(file, Map.of()));
        List<Problem> problems = e.problems();
        assertEquals(1, problems.size(), e.getMessage());
        assertEquals(10, problems.get(0).location().line());
        assertTrue(problems.get(0).message().contains("up to 49153 bytes cannot fit store 'gh' (type github), which holds at most 49152 bytes"),
                problems.get(0).message());
    }

    @Test
    void valuesThatFitAndProvidedValuesOfUnknownSizePass() throws Exception {
        Path file = manifest("""
                fits:
                  generate: { type: rsa, bits: 4096 }
                  targets:
                    - { store: keys, name: fits }
                    - { store: gh, name: SIGNING_KEY_B64, value: "${secret.base64}" }
                given:
                  generate: { type: provided, variable: SOME_TOKEN }
                  targets:
                    - { store: keys, name: given }
                    - { store: gh, name: SOME_TOKEN }
                """);
        assertDoesNotThrow(() -> Vocabularies.load(file, Map.of()));
    }

    @Test
    void invalidSecretNamesAreRefused() throws Exception {
        Path file = manifest("""
                bad-name:
                  generate: { type: uuid }
                  targets:
                    - { store: keys, name: bad }
                    - { store: gh, name: GITHUB_TOKEN_COPY }
                """);
        ManifestException e = assertThrows(ManifestException.class, () -> Vocabularies.load(file, Map.of()));
        assertTrue(e.getMessage().contains("GITHUB_TOKEN_COPY"), e.getMessage());
    }
}
