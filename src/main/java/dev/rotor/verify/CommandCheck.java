package dev.rotor.verify;

import dev.rotor.manifest.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Runs a command with the new value in its environment (the MindWell runbook's migration run). A string runs with
 * {@code sh -c}, a list as argv. Its output is discarded, never printed: it may echo the value.
 */
final class CommandCheck implements Check {
    private final Object command;
    private final Map<?, ?> env;
    private final BiFunction<String, SecretValue, String> render;
    private final Path workdir;
    private final Duration timeout;

    CommandCheck(Object command, Map<?, ?> env, BiFunction<String, SecretValue, String> render, Path workdir,
                 Duration timeout) {
        this.command = command;
        this.env = env;
        this.render = render;
        this.workdir = workdir;
        this.timeout = timeout;
    }

    @Override
    public String describe() {
        String text = command instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList())
                : String.valueOf(command);
        return "command " + (text.length() > 60 ? text.substring(0, 57) + "..." : text);
    }

    @Override
    public void run(SecretValue value) {
        run(value, java.util.Map.of());
    }

    @Override
    public void run(SecretValue value, java.util.Map<String, String> context) {
        List<String> argv = new ArrayList<>();
        if (command instanceof List<?> list) {
            list.forEach(part -> argv.add(render.apply(String.valueOf(part), value)));
        } else {
            argv.addAll(List.of("sh", "-c", render.apply(String.valueOf(command), value)));
        }
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workdir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(context);
        env.forEach((k, v) -> builder.environment().put(String.valueOf(k), render.apply(String.valueOf(v), value)));
        try {
            Process process = builder.start();
            // Ctrl-C or SIGTERM of Rotor ends the check too: no command holding the value outlives the run.
            Thread stopOnExit = new Thread(() -> stopWithDescendants(process));
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            try (InputStream ignored = process.getInputStream()) {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    stopWithDescendants(process);
                    throw new CheckFailedException(describe() + ": timed out after " + dev.rotor.manifest.Durations.format(timeout));
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnExit);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or ran: the process is being stopped
                }
            }
            if (process.exitValue() != 0) {
                throw new CheckFailedException(describe() + ": exit code " + process.exitValue());
            }
        } catch (IOException e) {
            throw new CheckFailedException(describe() + ": could not start (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailedException(describe() + ": interrupted");
        }
    }

    /** The shell and what it started ({@code sh -c "migrate; sleep 600"}): killing the shell alone orphans them. */
    private static void stopWithDescendants(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
