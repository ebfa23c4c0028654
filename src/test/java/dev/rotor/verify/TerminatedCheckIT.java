package dev.rotor.verify;

import dev.rotor.testing.RotorJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ctrl-C or a cancelled CI job (SIGTERM) while a {@code command} check runs: Rotor's process ends and so does every
 * process the check started, which holds the new value in its environment; the re-run finishes the rotation.
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
        int exit = RotorJar.rotate(dir, "cancelled").terminateOnceExists(dir.resolve("child.pid"),
                "the check started its child");
        assertEquals(143, exit, "128 + SIGTERM");
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
        RotorJar.assertEnds(child);

        Files.writeString(dir.resolve("go"), "");
        assertEquals(0, RotorJar.rotate(dir, "cancelled", "--resume").exit(), "the same run resumes at once");
    }
}
