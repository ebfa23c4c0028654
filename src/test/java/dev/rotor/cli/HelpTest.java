package dev.rotor.cli;

import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --help} and {@code -h} work on every subcommand, exit 0, and show that subcommand's usage; {@code rotor help
 * [COMMAND]} shows the same usage.
 */
class HelpTest {
    @ParameterizedTest
    @CsvSource({"validate,--help", "validate,-h", "plan,--help", "plan,-h", "rotate,--help", "rotate,-h",
            "status,--help", "status,-h", "rollback,--help", "rollback,-h", "schema,--help", "schema,-h",
            "seal,--help", "seal,-h", "action,--help", "action,-h"})
    void everySubcommandAnswersHelp(String command, String flag) {
        RotorRunner.Result r = RotorRunner.run(Map.of(), command, flag);
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().startsWith("Usage: rotor " + command), r.out());
    }

    @ParameterizedTest
    @CsvSource({"validate", "plan", "rotate", "status", "rollback", "repair", "schema", "seal"})
    void helpNamesACommandAndShowsWhatItsHelpOptionShows(String command) {
        RotorRunner.Result help = RotorRunner.run(Map.of(), "help", command);
        assertEquals(0, help.exit(), help.all());
        assertEquals(RotorRunner.run(Map.of(), command, "--help").out(), help.out());
        assertEquals("", help.err());
    }

    @org.junit.jupiter.api.Test
    void helpAloneShowsRotorsUsageAndAnUnknownCommandIsAUsageError() {
        RotorRunner.Result help = RotorRunner.run(Map.of(), "help");
        assertEquals(0, help.exit(), help.all());
        assertEquals(RotorRunner.run(Map.of(), "--help").out(), help.out());
        assertTrue(help.out().lines().anyMatch(l -> l.equals(
                "  help      Display help information about the specified command.")), help.out());

        RotorRunner.Result unknown = RotorRunner.run(Map.of(), "help", "rotat");
        assertEquals(2, unknown.exit(), unknown.all());
        assertTrue(unknown.err().startsWith("Unknown subcommand 'rotat'.\nUsage: rotor [-hV] [COMMAND]\n"),
                unknown.err());
        assertEquals("", unknown.out());

        RotorRunner.Result own = RotorRunner.run(Map.of(), "help", "--help");
        assertEquals(0, own.exit(), own.all());
        assertTrue(own.out().startsWith("Display help information about the specified command.\n\n"
                + "Usage: rotor help [-h] [COMMAND]\n"), own.out());
    }
}
