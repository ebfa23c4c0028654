package dev.rotor.cli;

import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest file as a whole: one that is missing or too big is refused at once, with a clear line, exit 2. */
class ManifestFileCliTest {
    private static final int MB = 1024 * 1024;

    @TempDir
    Path dir;

    /** A manifest whose {@code secrets:} is one double-quoted scalar of {@code megabytes} MB. */
    private Path scalarManifest(String name, int bytes) throws IOException {
        Path file = dir.resolve(name);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("version: 1\nsecrets: \"");
            char[] chunk = "a".repeat(64 * 1024).toCharArray();
            for (int written = 0; written < bytes; written += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, bytes - written));
            }
            out.write("\"\n");
        }
        return file;
    }

    @Test
    void aFiftyMegabyteScalarIsRefusedAtOnce() throws IOException {
        Path file = scalarManifest("huge.yml", 50 * MB);
        for (String command : List.of("validate", "plan", "rotate")) {
            RotorRunner.Result result = RotorRunner.run(Map.of(), command, "-m", file.toString());
            assertEquals(2, result.exit(), result.all());
            assertEquals(List.of(file + ":1:1: error: the manifest is 50.0 MB; the limit is 4 MB (check that -m names"
                            + " the manifest, or split it)", "error: " + file + ": 1 error; nothing was written"),
                    result.err().lines().toList());
        }
    }

    @Test
    void aFourMegabyteLineIsRefusedAtOnce() throws IOException {
        Path file = scalarManifest("long-line.yml", 4 * MB - 100);
        RotorRunner.Result result = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(2, result.exit(), result.all());
        assertEquals(file + ":2:1: error: line 2 is 4095 KB long; the limit is 64 KB (break it up; a value never"
                + " belongs in the manifest)", result.err().lines().findFirst().orElseThrow());
    }

    @Test
    void aManifestJustUnderTheLimitsIsParsedAndItsProblemReported() throws IOException {
        Path file = dir.resolve("large.yml");
        String line = "  " + "a".repeat(64 * 1024 - 2) + "\n";
        Files.writeString(file, "version: 1\nsecrets: |\n" + line.repeat(4 * MB / line.length()));
        assertTrue(Files.size(file) > 4 * MB - line.length() && Files.size(file) <= 4 * MB, "size " + Files.size(file));
        RotorRunner.Result result = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(2, result.exit(), result.all());
        assertEquals(List.of(file + ":1:1: error: stores: 'stores' is required (add a 'stores:' map)",
                file + ":2:10: error: secrets: must be a map, not a string"), result.err().lines().limit(2).toList());
    }

    @Test
    void aMissingManifestIsNamedWithoutAPositionOrAnEmptyKey() {
        Path missing = dir.resolve("rotation.yml");
        RotorRunner.Result result = RotorRunner.run(Map.of(), "plan", "-m", missing.toString());
        assertEquals(2, result.exit(), result.all());
        assertEquals(List.of(missing + ": error: manifest not found (give one with -m FILE)",
                "error: " + missing + ": 1 error; nothing was written"), result.err().lines().toList());
    }

    @Test
    void inActionsAMissingManifestIsAnAnnotationOnTheFileWithoutALine() {
        Path missing = dir.resolve("rotation,prod.yml");
        RotorRunner.Result result = RotorRunner.run(Map.of("GITHUB_ACTIONS", "true"), "validate", "-m",
                missing.toString());
        assertEquals(2, result.exit(), result.all());
        assertEquals("::error file=" + missing.toString().replace(",", "%2C")
                + "::manifest not found (give one with -m FILE)", result.out().lines().findFirst().orElseThrow());
    }
}
