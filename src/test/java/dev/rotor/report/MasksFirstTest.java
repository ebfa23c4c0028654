package dev.rotor.report;

import dev.rotor.cli.Rotor;
import dev.rotor.cli.Session;
import dev.rotor.testing.Forms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In GitHub Actions every form of every value of a run (raw, each encoding, each line of a multi-line value and its
 * encodings) is registered with the runner before the first line that could carry it. stdout and stderr go to one
 * stream here, so the order seen is the order printed. A value exists from its unit's pending step (generated or
 * provided) and a derived value from its target's write, so the line that could first carry it is the step line
 * printed after that: its masks must all sit in the run of mask lines just before it.
 */
class MasksFirstTest {
    private static final String MANIFEST = """
            version: 1
            secrets:
              signing-key:
                generate: { type: rsa, bits: 2048 }
                targets:
                  - { store: keys, name: signing.pem }
              db-password:
                generate: { type: password, length: 32, symbols: "%:,@/" }
                targets:
                  - { store: keys, name: db.txt }
                  - { store: app-env, name: DATABASE_URL, value: "postgresql://app:${secret.url}@db.internal/app" }
              cert-bundle:
                generate: { type: provided, variable: BUNDLE }
                targets:
                  - { store: keys, name: bundle.txt }
            stores:
              keys: { type: files, directory: keys }
              app-env: { type: dotenv, path: app.env }
            """;
    /** A multi-line provided value whose lines hold what workflow-command escaping must get right. */
    private static final String BUNDLE = "first-line-of-the-bundle\nsecond:line,with%25and%0A\n  third line, indented";
    /** The masker leaves out shorter forms: they would turn ordinary words into asterisks. */
    private static final int SHORTEST_MASKED = 4;

    @TempDir
    Path dir;

    @Test
    void everyFormOfEveryValueIsMaskedBeforeTheFirstLineThatCouldCarryIt() throws IOException {
        Files.writeString(dir.resolve("rotation.yml"), MANIFEST);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit;
        try (PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            exit = Rotor.execute(new String[]{"rotate", "-m", dir.resolve("rotation.yml").toString()},
                    Session.of(Map.of("GITHUB_ACTIONS", "true", "BUNDLE", BUNDLE), both, both));
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, exit, String.join("\n", lines));

        String key = Files.readString(dir.resolve("keys/signing.pem"));
        assertTrue(key.startsWith("-----BEGIN PRIVATE KEY-----\n") && key.lines().count() > 20, "a multi-line PEM");
        String password = Files.readString(dir.resolve("keys/db.txt"));
        String url = "postgresql://app:" + Forms.url(password) + "@db.internal/app";
        assertTrue(Files.readString(dir.resolve("app.env")).contains(url), "the derived value is in app.env");
        assertEquals(BUNDLE, Files.readString(dir.resolve("keys/bundle.txt")));

        assertMaskedJustBefore(lines, "signing key", key, "  pending value journaled in keys:.rotor/journal/signing-key.json");
        assertMaskedJustBefore(lines, "password", password, "  pending value journaled in keys:.rotor/journal/db-password.json");
        assertMaskedJustBefore(lines, "derived URL", url, "  2/2 app-env:DATABASE_URL: written");
        assertMaskedJustBefore(lines, "provided bundle", BUNDLE, "  pending value journaled in keys:.rotor/journal/cert-bundle.json");
        for (String line : lines) {
            if (RunnerCommands.registeredMask(line).isEmpty()) {
                for (String value : List.of(key, password, url, BUNDLE)) {
                    assertFalse(Forms.of(value).stream().filter(f -> f.length() >= 8).anyMatch(line::contains),
                            "a value in a printed line: " + line.replace(password, "<password>"));
                }
            }
        }
    }

    /** Every maskable form of {@code value} is registered by the run of mask lines that ends at {@code firstUse}. */
    private static void assertMaskedJustBefore(List<String> lines, String what, String value, String firstUse) {
        int use = lines.indexOf(firstUse);
        assertTrue(use > 0, "the run prints '" + firstUse + "'");
        Set<String> registered = new HashSet<>();
        for (int i = use - 1; i >= 0; i--) {
            Optional<String> mask = RunnerCommands.registeredMask(lines.get(i));
            if (mask.isEmpty()) {
                break;
            }
            registered.add(mask.get());
        }
        List<String> forms = Forms.of(value);
        for (int i = 0; i < forms.size(); i++) {
            String form = forms.get(i);
            if (form.length() >= SHORTEST_MASKED && form.indexOf('\n') < 0 && form.indexOf('\r') < 0) {
                assertTrue(registered.contains(form), what + ": form " + i + " of Forms.of(value) is not masked before '"
                        + firstUse + "'");
            }
        }
    }
}
