package dev.rotor.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the packaged jar ({@code target/rotor.jar}) as a real process, for tests that need two processes or a kill. */
public final class RotorJar {
    private RotorJar() {
    }

    /**
     * {@code rotate -m DIR/rotation.yml --run-id RUN_ID ARGS...} in {@code dir}, both output streams into
     * {@code DIR/RUN_ID.log}.
     */
    public static Process rotate(Path dir, String runId, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target/rotor.jar").toAbsolutePath().toString(), "rotate", "-m",
                dir.resolve("rotation.yml").toString(), "--run-id", runId));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(new File(dir.toFile(), runId + ".log")).start();
    }
}
