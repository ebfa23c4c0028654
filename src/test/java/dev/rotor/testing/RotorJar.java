package dev.rotor.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rotor as a real process: the packaged jar ({@code target/rotor.jar}) for tests that need two processes, a kill, a
 * shell or another runtime, or the build's classes for the few that must run before {@code package}. The one place
 * that starts, waits for and collects the output of such a process.
 */
public final class RotorJar {
    /** The jar as users run it. */
    public static final Path JAR = Path.of("target/rotor.jar").toAbsolutePath();
    /** How long a process may run before the test fails naming its command. */
    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    private RotorJar() {
    }

    /** {@code java -jar target/rotor.jar ARGS...} with this JDK's java. */
    public static Launch jar(String... args) {
        return new Launch(java(), List.of("-jar", JAR.toString()), List.of(args));
    }

    /** Rotor's main class from the test class path: for tests that run before {@code package} made the jar. */
    public static Launch classes(String... args) {
        return new Launch(java(), List.of("-cp", System.getProperty("java.class.path"), "dev.rotor.cli.Rotor"),
                List.of(args));
    }

    /** Another program, such as the shell that runs a command Rotor printed, or jlink. */
    public static Launch program(String... command) {
        return new Launch(null, List.of(), List.of(command));
    }

    /** This JDK's {@code java}. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * {@code rotate -m DIR/rotation.yml --run-id RUN_ID ARGS...} in {@code dir}, both output streams into
     * {@code DIR/RUN_ID.log}.
     */
    public static Running rotate(Path dir, String runId, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("rotate", "-m", dir.resolve("rotation.yml").toString(), "--run-id",
                runId));
        all.addAll(List.of(args));
        return jar(all.toArray(String[]::new)).in(dir).start(dir.resolve(runId + ".log"));
    }

    /** Fails unless the process {@code pid} has ended, or ends within 5 s (a signal takes a moment to land). */
    public static void assertEnds(long pid) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "process " + pid + " still runs");
    }

    /** What the racing processes ended with, in the order of their run ids. */
    public record Race(List<Integer> exits, List<String> outputs) {
    }

    /**
     * One {@code rotate --run-id ID -m MANIFEST ARGS...} process per run id, all started before any is awaited, with
     * {@code environment} added to each; their exit codes and outputs ({@code DIR/ID.log}) once all ended.
     */
    public static Race race(Path dir, Path manifest, List<String> runIds, Map<String, String> environment,
                            String... args) throws IOException, InterruptedException {
        List<Running> processes = new ArrayList<>();
        try {
            for (String id : runIds) {
                List<String> all = new ArrayList<>(List.of("rotate", "--run-id", id, "-m", manifest.toString()));
                all.addAll(List.of(args));
                processes.add(jar(all.toArray(String[]::new)).in(dir).env(environment).start(dir.resolve(id + ".log")));
            }
            List<Integer> exits = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            for (Running process : processes) {
                exits.add(process.exit());
                outputs.add(process.output());
            }
            return new Race(exits, outputs);
        } finally {
            processes.forEach(Running::kill); // a racer left running by a failure would hold the temp folder
        }
    }

    /** A process to start: its command, folder, environment, standard input and time limit. */
    public static final class Launch {
        private Path java;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> entry;
        private final List<String> args;
        private final Map<String, String> environment = new HashMap<>();
        private Path directory;
        private String stdin;
        private Duration timeout = TIMEOUT;

        private Launch(Path java, List<String> entry, List<String> args) {
            this.java = java;
            this.entry = entry;
            this.args = args;
        }

        /** Runs Rotor on another Java runtime's {@code java}, e.g. the jlinked image runtime. */
        public Launch java(Path binary) {
            java = binary;
            return this;
        }

        /** Options for the JVM, before {@code -jar}. */
        public Launch jvm(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /** The working folder (default: the build's). */
        public Launch in(Path folder) {
            directory = folder;
            return this;
        }

        /** Variables set on top of the test's environment (less its GitHub Actions and JVM option variables). */
        public Launch env(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /** What the process reads on its standard input, which is then closed. */
        public Launch stdin(String text) {
            stdin = text;
            return this;
        }

        /** How long it may run (default {@link #TIMEOUT}). */
        public Launch timeout(Duration limit) {
            timeout = limit;
            return this;
        }

        private List<String> command() {
            List<String> command = new ArrayList<>();
            if (java != null) {
                command.add(java.toString());
            }
            command.addAll(jvmOptions);
            command.addAll(entry);
            command.addAll(args);
            return command;
        }

        /** Starts it with both output streams into {@code log}, interleaved as a terminal shows them. */
        public Running start(Path log) throws IOException {
            return new Running(builder().redirectErrorStream(true).redirectOutput(log.toFile()), log, this);
        }

        /** Runs it to its end, standard output and error apart. */
        public RotorRunner.Result run() throws IOException, InterruptedException {
            Path out = Files.createTempFile("rotor-process", ".out");
            Path err = Files.createTempFile("rotor-process", ".err");
            try {
                Running running = new Running(builder().redirectOutput(out.toFile()).redirectError(err.toFile()), out,
                        this);
                int exit = running.exit();
                return new RotorRunner.Result(exit, Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.delete(out);
                Files.delete(err);
            }
        }

        private ProcessBuilder builder() {
            ProcessBuilder builder = new ProcessBuilder(command());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            outsideGithubActions(builder.environment());
            builder.environment().putAll(environment);
            return builder;
        }

        /**
         * The same run on a developer's machine as in CI: on a runner, an inherited GITHUB_ACTIONS or GITHUB_RUN_ID
         * would turn Rotor's printed commands into workflow advice and every run into a re-run of one run id. No
         * injected JVM options either, which would add a line to the output.
         */
        private static void outsideGithubActions(Map<String, String> environment) {
            environment.keySet().removeIf(name -> name.startsWith("GITHUB_") || name.startsWith("INPUT_")
                    || name.startsWith("RUNNER_") || name.equals("JAVA_TOOL_OPTIONS")
                    || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        }
    }

    /** A started process whose output goes to a file. */
    public static final class Running {
        private final Process process;
        private final Path output;
        private final List<String> command;
        private final Duration timeout;

        private Running(ProcessBuilder builder, Path output, Launch launch) throws IOException {
            this.process = builder.start();
            this.output = output;
            this.command = launch.command();
            this.timeout = launch.timeout;
            if (launch.stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(launch.stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        /** Its exit code once it ended; a process still running at the time limit is killed and fails the test. */
        public int exit() throws InterruptedException {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                kill();
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + command);
            }
            return process.exitValue();
        }

        /** What it has written so far (both streams if started with {@link Launch#start}). */
        public String output() throws IOException {
            return Files.readString(output, StandardCharsets.UTF_8);
        }

        /**
         * Kills it with SIGKILL, with every process it started, as soon as {@code marker} exists (within a minute):
         * a crash at the step that makes the marker.
         */
        public void killOnceExists(Path marker, String reached) throws InterruptedException {
            awaitMarker(marker, reached);
            kill();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the killed process ended");
        }

        /**
         * SIGTERM to Rotor's process alone (as {@code kill PID} or a CI runner's cancel sends it) as soon as
         * {@code marker} exists (within a minute); returns its exit code.
         */
        public int terminateOnceExists(Path marker, String reached) throws InterruptedException {
            awaitMarker(marker, reached);
            process.destroy();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the terminated process ended");
            return process.exitValue();
        }

        private static void awaitMarker(Path marker, String reached) throws InterruptedException {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!Files.exists(marker) && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(marker), reached);
        }

        /** SIGKILL to it and every process it started; nothing if it has ended. */
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
