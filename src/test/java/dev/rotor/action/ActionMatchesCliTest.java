package dev.rotor.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rotor.action.ActionInputs.Input;
import dev.rotor.cli.Rotor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The action's translation table against the real command line: every option it passes exists. */
class ActionMatchesCliTest {

    /** Options a command has that the action deliberately does not offer. */
    private static final Map<String, Set<String>> NOT_OFFERED = Map.of(
            "plan", Set.of("--audit-log", "--reason")); // plan writes nothing, so it has nothing to audit

    @Test
    void everyOptionTheActionPassesExistsOnItsCommand() {
        CommandLine rotor = Rotor.commandLine(dev.rotor.cli.Session.of(Map.of(), System.out, System.err), new String[0]);
        for (Map.Entry<String, Set<Input>> command : ActionInputs.COMMANDS.entrySet()) {
            CommandLine sub = rotor.getSubcommands().get(command.getKey());
            assertNotNull(sub, "rotor has no command " + command.getKey());
            for (Input input : Input.values()) {
                if (input.option == null) {
                    continue;
                }
                boolean cliHasIt = sub.getCommandSpec().findOption(input.option) != null;
                boolean actionPassesIt = command.getValue().contains(input) || input == Input.MANIFEST;
                if (actionPassesIt) {
                    assertTrue(cliHasIt, command.getKey() + " has no " + input.option + " (input " + input.inputName + ")");
                } else if (cliHasIt) {
                    assertTrue(NOT_OFFERED.getOrDefault(command.getKey(), Set.of()).contains(input.option),
                            command.getKey() + " takes " + input.option + ": offer input " + input.inputName);
                }
            }
        }
    }

    /** `rotor action` as the image runs it: registered as a subcommand, reading the inputs from the environment. */
    @Test
    void rotorRunsTheActionCommand() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Rotor.execute(new String[]{"action"},
                Map.of("INPUT_COMMAND", "validate", "INPUT_MANIFEST", "examples/local/rotation.yml"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream badErr = new ByteArrayOutputStream();
        int bad = Rotor.execute(new String[]{"action"}, Map.of("INPUT_COMMAND", "rotat"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(badErr, true, StandardCharsets.UTF_8));
        assertEquals(2, bad);
        assertTrue(badErr.toString(StandardCharsets.UTF_8).contains("input command: unknown command 'rotat'"));
    }
}
