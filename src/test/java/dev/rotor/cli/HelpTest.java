package dev.rotor.cli;

import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --help} and {@code -h} work on every subcommand, exit 0, and show that subcommand's usage. */
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
}
