package dev.rotor.cli;

import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's quick start: the api-forge runbook's eleven secrets on local stores, run twice. */
class QuickStartTest {
    @TempDir
    Path dir;

    @Test
    void theLocalExampleRotatesElevenSecretsKeepsBackupsAndUserProvidedValues() throws IOException {
        Files.copy(Path.of("examples/local/rotation.yml"), dir.resolve("rotation.yml"));
        Files.copy(Path.of("examples/local/user-provided.env"), dir.resolve("user-provided.env"));
        String manifest = dir.resolve("rotation.yml").toString();
        RotorRunner.Result first = RotorRunner.run(Map.of(), "rotate", "--manifest", manifest);
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("summary: rotated 11"), first.out());
        Path keys = dir.resolve("state/keys");
        String password = Files.readString(keys.resolve("postgres_password.txt"));
        assertEquals(32, password.length());
        assertEquals("demo-google-client-secret-not-real", Files.readString(keys.resolve("oidc_google_client_secret.txt")));

        RotorRunner.Result second = RotorRunner.run(Map.of("OIDC_GOOGLE_CLIENT_SECRET", "new-google-secret-from-env"),
                "rotate", "--manifest", manifest);
        assertEquals(0, second.exit(), second.err());
        assertNotEquals(password, Files.readString(keys.resolve("postgres_password.txt")));
        assertEquals("new-google-secret-from-env", Files.readString(keys.resolve("oidc_google_client_secret.txt")));
        assertTrue(Files.readString(dir.resolve("state/app.env")).startsWith("DATABASE_URL=postgresql://appuser:"));
        try (Stream<Path> backups = Files.walk(keys.resolve(".rotor/backups"))) {
            assertTrue(backups.anyMatch(p -> p.getFileName().toString().equals("postgres_password.txt")));
        }
        RotorRunner.Result status = RotorRunner.run(Map.of(), "status", "--manifest", manifest);
        assertEquals(0, status.exit());
        assertTrue(status.out().contains("postgres-password: 0.0 days old"), status.out());
        assertTrue(!status.out().contains("policy:"), "generated values meet their policy: " + status.out());
    }

    @Test
    void statusFlagsValuesThatBreakTheirPolicy() throws IOException {
        Files.copy(Path.of("examples/local/rotation.yml"), dir.resolve("rotation.yml"));
        Files.createDirectories(dir.resolve("state/keys"));
        Files.writeString(dir.resolve("state/keys/redis_password.txt"), "short");
        RotorRunner.Result status = RotorRunner.run(Map.of(), "status", "--manifest", dir.resolve("rotation.yml").toString());
        assertTrue(status.out().contains("policy: keys:redis_password.txt"), status.out());
        assertTrue(!status.all().contains("short"), "the value itself is never shown");
    }

    @Test
    void helpTeachesAndVersionAnswers() {
        RotorRunner.Result help = RotorRunner.run(Map.of(), "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("rotor rotate --only-due"), help.out());
        List<String> lines = help.out().lines().toList();
        assertEquals(List.of(
                "Exit codes:",
                "  0  done, or nothing was due",
                "  1  failed before any change; nothing changed",
                "  2  manifest or usage invalid (file:line:col); nothing written",
                "  3  partial: the new value is journaled, some targets are behind;",
                "     the message names the rotate that finishes, the rollback that undoes",
                "  4  refused: preflight (credentials, permission) or another run's lease",
                "  5  status --drift: a copy disagrees with the journal (each named,",
                "     with its repair)",
                ""), lines.subList(lines.indexOf("Exit codes:"), lines.size()),
                "each code's text stays within picocli's 80 columns, continued under its text");
        RotorRunner.Result rotateHelp = RotorRunner.run(Map.of(), "help", "rotate");
        assertTrue(rotateHelp.out().contains("--only-due") && rotateHelp.out().contains("--run-id"), rotateHelp.out());
        RotorRunner.Result version = RotorRunner.run(Map.of(), "--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("rotor "));
        RotorRunner.Result schema = RotorRunner.run(Map.of(), "schema");
        assertTrue(schema.out().contains("\"$schema\""));
    }

    @Test
    void theDocumentedManifestExamplesAreValid() throws IOException {
        assertExampleValid("README.md", "## The manifest");
        assertExampleValid("docs/manifest.md", "## A complete example");
    }

    /** The first YAML block after {@code heading} in a Markdown file passes validate. */
    private void assertExampleValid(String markdown, String heading) throws IOException {
        String text = Files.readString(Path.of(markdown));
        int start = text.indexOf("```yaml\n", text.indexOf(heading)) + "```yaml\n".length();
        Files.writeString(dir.resolve("rotation.yml"), text.substring(start, text.indexOf("```", start)));
        RotorRunner.Result validate = RotorRunner.run(Map.of(), "validate", "-m", dir.resolve("rotation.yml").toString());
        assertEquals(0, validate.exit(), markdown + ": " + validate.err());
    }
}
