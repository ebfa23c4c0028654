package dev.rotor.store;

import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The files and dotenv stores' own settings through the CLI: a mode YAML reads as a number, or that is not octal, and
 * a keep-backups that is not a count are refused by validate (exit 2, file:line:col), and by rotate before any write.
 */
class LocalStoreSettingsCliTest {
    @TempDir
    Path dir;

    private Path manifest(String keysSettings, String envSettings) throws IOException {
        return Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys%s }
                  app-env: { type: dotenv, path: app.env%s }
                secrets:
                  db-password:
                    generate: { type: password, length: 32 }
                    targets:
                      - { store: keys, name: db-password }
                      - { store: app-env, name: DB_PASSWORD }
                """.formatted(keysSettings, envSettings));
    }

    @ParameterizedTest(name = "{0}{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            ', mode: 0644'         | ''             | 3 | 47 | stores.keys.mode: a mode must be a quoted string: YAML reads an unquoted mode as a number (write the mode as a quoted string, e.g. mode: "0644")
            ', mode: "999"'        | ''             | 3 | 47 | stores.keys.mode: a mode must be 3 octal digits, optionally after a 0, not '999' (e.g. mode: "0640")
            ', mode: "rw-r--r--"'  | ''             | 3 | 47 | stores.keys.mode: a mode must be 3 octal digits, optionally after a 0, not 'rw-r--r--'
            ''                     | ', mode: "64"' | 4 | 49 | stores.app-env.mode: a mode must be 3 octal digits, optionally after a 0, not '64'
            ''                     | ', mode: 600'  | 4 | 49 | stores.app-env.mode: a mode must be a quoted string: YAML reads an unquoted mode as a number
            ', keep-backups: many' | ''             | 3 | 55 | stores.keys.keep-backups: keep-backups must be a whole number, 0 or more, not 'many' (e.g. keep-backups: 10; 0 keeps none)
            """)
    void aBadSettingIsRefusedWithItsPositionAndNothingIsWritten(String keysSettings, String envSettings, int line,
                                                                  int column, String message) throws IOException {
        Path manifest = manifest(keysSettings.replace("'", ""), envSettings.replace("'", ""));
        for (String command : List.of("validate", "rotate")) {
            RotorRunner.Result r = RotorRunner.run(Map.of(), command, "-m", manifest.toString());
            assertEquals(2, r.exit(), command + ": " + r.all());
            assertTrue(r.err().contains(manifest + ":" + line + ":" + column + ": error: "), command + ": " + r.err());
            assertTrue(r.err().contains(message), command + ": " + r.err());
            try (Stream<Path> files = Files.walk(dir)) {
                assertEquals(List.of(manifest), files.filter(p -> !Files.isDirectory(p)).toList(), "nothing written");
            }
        }
    }

    @Test
    void aQuotedModeIsAcceptedAndGivenToNewFiles() throws IOException {
        Path manifest = manifest(", mode: \"0640\"", ", mode: \"644\"");
        assertEquals(0, RotorRunner.run(Map.of(), "validate", "-m", manifest.toString()).exit());
        RotorRunner.Result r = RotorRunner.run(Map.of(), "rotate", "-m", manifest.toString());
        assertEquals(0, r.exit(), r.all());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys/db-password"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("app.env"))));
    }
}
