package dev.rotor.verify;

import dev.rotor.testing.RotorJar;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C or a cancelled CI job (SIGTERM) while a {@code command} check runs: Rotor's process ends and so does every
 * process the check started, which holds the new value in its environment; Rotor says what the signal interrupted
 * and prints the command that finishes it, which runs as printed.
 */
class TerminatedCheckIT {
    @TempDir
    Path dir;

    @Test
    void aTerminatedRunLeavesNoProcessOfItsCheckBehindAndItsReRunFinishes() throws Exception {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                secrets:
                  api-key:
                    generate: { type: password, length: 32 }
                    targets:
                      - { store: keys, name: api-key }
                    verify:
                      - command: 'test -f go || { sleep 60 & echo $! > child.tmp && mv child.tmp child.pid; wait; }'
                        env: { API_KEY: "${secret}" }
                """);
        RotorJar.Running cancelled = RotorJar.rotate(dir, "cancelled");
        int exit = cancelled.terminateOnceExists(dir.resolve("child.pid"), "the check started its child");
        assertEquals(143, exit, "128 + SIGTERM");
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
        RotorJar.assertEnds(child);

        // It says what the signal interrupted, and the command that finishes it; that command runs as printed.
        String said = "api-key: stopped by a signal during the step after distribute; the new value is journaled in "
                + "keys:.rotor/journal/api-key.json. Finish with: ";
        String output = cancelled.output();
        String line = output.lines().filter(l -> l.startsWith(said)).findFirst()
                .orElseThrow(() -> new AssertionError(output));
        String finish = line.substring(said.length(), line.indexOf(" | undo with: "));
        assertTrue(finish.endsWith(" rotate -m " + dir.resolve("rotation.yml") + " --secret api-key --resume "
                + "--run-id cancelled"), finish);
        Files.writeString(dir.resolve("go"), "");
        RotorRunner.Result finished = RotorJar.program("bash", "-c", finish).in(dir).run();
        assertEquals(0, finished.exit(), finished.all());
        assertTrue(finished.out().contains("api-key: rotated"), finished.out());
    }
}
