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

    /** What the racing processes ended with, in the order of their run ids. */
    public record Race(List<Integer> exits, List<String> outputs) {
    }

    /**
     * One {@code rotate --run-id ID -m MANIFEST ARGS...} process per run id, all started before any is awaited, with
     * {@code environment} added to each; their exit codes and outputs once all ended (two minutes at most).
     */
    public static Race race(Path dir, Path manifest, List<String> runIds, java.util.Map<String, String> environment,
                            String... args) throws IOException, InterruptedException {
        List<Process> processes = new ArrayList<>();
        for (String id : runIds) {
            List<String> all = new ArrayList<>(List.of("rotate", "--run-id", id, "-m", manifest.toString()));
            all.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command(all.toArray(String[]::new))).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve(id + ".log").toFile());
            builder.environment().putAll(environment);
            processes.add(builder.start());
        }
        List<Integer> exits = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                processes.forEach(Process::destroyForcibly);
                throw new AssertionError("run " + runIds.get(i) + " did not end within two minutes");
            }
            exits.add(processes.get(i).exitValue());
            outputs.add(java.nio.file.Files.readString(dir.resolve(runIds.get(i) + ".log")));
        }
        return new Race(exits, outputs);
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
