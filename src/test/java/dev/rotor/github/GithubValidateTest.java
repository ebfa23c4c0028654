package dev.rotor.github;

import dev.rotor.testing.RotorRunner;

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

    @Test
    void validateReportsEveryStoreAndTargetRuleAtItsPositionBeforeAnyRequest() throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                environments:
                  prod: { vars: { repo: acme/api, n: "60" } }
                stores:
                  keys: { type: files, directory: keys }
                  repo: { type: github, repository: acme/web, token: "${env:T}", concurrency: 500 }
                  org: { type: github, organization: acme, token: "${env:T}" }
                  both: { type: github, repository: acme/web, organization: acme, token: "${env:T}" }
                  templated: { type: github, repository: "${vars.repo}", token: "${env:T}", writes-per-minute: "${vars.n}" }
                secrets:
                  api-token:
                    generate: { type: uuid }
                    targets:
                      - { store: keys, name: api-token }
                      - { store: repo, name: API_TOKEN, environment: "${env}", app: dependabot }
                      - { store: repo, name: API_TOKEN, visibility: all }
                      - { store: org, name: API_TOKEN }
                      - { store: org, name: API_TOKEN_ALL, visibility: selected }
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(2, r.exit(), r.all());
        List<String> errors = r.err().lines().filter(l -> l.contains(": error: ")).map(l -> l.substring(l.indexOf(':') + 1))
                .toList();
        assertEquals(List.of(
                "6:79: error: stores.repo.concurrency: concurrency must be 1 to 100 (GitHub allows no more concurrent "
                        + "requests) (see docs/github.md for the settings of a github store)",
                "8:3: error: stores.both: set exactly one of repository, repositories or organization (see docs/github.md "
                        + "for the settings of a github store)",
                "15:54: error: secrets.api-token.targets[1].environment: environment secrets are Actions secrets "
                        + "(app: actions)",
                "16:53: error: secrets.api-token.targets[2].visibility: visibility and selected-repositories apply to "
                        + "organization secrets only",
                "17:9: error: secrets.api-token.targets[3]: an organization secret needs visibility: all, private or "
                        + "selected (Rotor never guesses it) (add 'visibility: private' (or all, or selected))",
                "18:56: error: secrets.api-token.targets[4].visibility: visibility selected needs selected-repositories "
                        + "(writing without them would clear the list) (add 'selected-repositories: [repo, ...]')"),
                errors, r.err());
    }
}
