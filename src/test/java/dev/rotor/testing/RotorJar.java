package dev.rotor.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the packaged jar ({@code target/rotor.jar}) as a real process, for tests that need two processes or a kill. */
public final class RotorJar {
    /** The jar as users run it. */
    public static final Path JAR = Path.of("target/rotor.jar").toAbsolutePath();

    private RotorJar() {
    }

    /** {@code java -jar target/rotor.jar ARGS...} with this JDK's java. */
    public static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(java().toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** This JDK's {@code java}. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Rotor with {@code args}, run in {@code dir}, both output streams into {@code log}. */
    public static Process start(Path dir, Path log, String... args) throws IOException {
        return new ProcessBuilder(command(args)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /**
     * {@code rotate -m DIR/rotation.yml --run-id RUN_ID ARGS...} in {@code dir}, both output streams into
     * {@code DIR/RUN_ID.log}.
     */
    public static Process rotate(Path dir, String runId, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("rotate", "-m", dir.resolve("rotation.yml").toString(), "--run-id",
                runId));
        all.addAll(List.of(args));
        return start(dir, dir.resolve(runId + ".log"), all.toArray(String[]::new));
    }
}
