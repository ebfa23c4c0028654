package dev.rotor.report;

import dev.rotor.manifest.Location;
import dev.rotor.manifest.Problem;
import dev.rotor.testing.Forms;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the runner registers and shows for Rotor's workflow commands, read with the runner's own rules. */
class WorkflowCommandEscapingTest {
    private static final List<String> TRICKY = List.of("pass%word", "p%25ss-word", "line%0Abreak", "car%0Dreturn",
            "%250A-already-escaped", "host:port,list", "100%", "a%0D%0A%25b", "p@ss:w/rd%");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), true);

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theRunnerRegistersExactlyTheFormsRotorMeantToMask() {
        for (String value : TRICKY) {
            List<String> meant = new ArrayList<>();
            new Masker(meant::add).add(value);
            bytes.reset();
            console.mask(value);
            List<String> registered = lines().stream().map(line -> RunnerCommands.registeredMask(line).orElseThrow(
                    () -> new AssertionError("not a mask the runner registers: " + line))).toList();
            assertEquals(meant, registered, value);
            for (String form : List.of(value, Forms.url(value), Forms.base64(value), Forms.hex(value))) {
                assertTrue(registered.contains(form), "the runner masks " + form);
            }
        }
    }

    @Test
    void annotationDataAndPropertiesReachTheRunnerUnchanged() {
        Path file = Path.of("deploy,prod/rot:ation%25.yml");
        String message = "template 'a%0Ab' 100% done: x, y\nsecond line\r";
        console.problem(Problem.error(new Location(file, 12, 5), "secrets.db", message, "fix %25 it"));
        console.problem(Problem.warning(new Location(file, 3, 1), "stores.k", "warn, %0D: here", ""));
        console.error("failed: 50%25 of a:b,c\nnext");
        console.warning("%0A%25%");
        List<RunnerCommands.Command> commands = lines().stream()
                .map(line -> RunnerCommands.parse(line).orElseThrow(() -> new AssertionError(line))).toList();
        assertEquals(List.of(
                new RunnerCommands.Command("error", properties(file, "12", "5"),
                        "secrets.db: " + message + " (fix %25 it)"),
                new RunnerCommands.Command("warning", properties(file, "3", "1"), "stores.k: warn, %0D: here"),
                new RunnerCommands.Command("error", Map.of(), "failed: 50%25 of a:b,c\nnext"),
                new RunnerCommands.Command("warning", Map.of(), "%0A%25%")), commands);
    }

    private static Map<String, String> properties(Path file, String line, String col) {
        Map<String, String> properties = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        properties.putAll(Map.of("file", file.toString(), "line", line, "col", col));
        return properties;
    }
}
