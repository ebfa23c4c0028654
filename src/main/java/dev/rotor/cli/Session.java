package dev.rotor.cli;

import dev.rotor.engine.StepHook;
import dev.rotor.report.Console;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/** What one invocation runs with; tests pass their own environment, streams, clock and crash hook. */
public record Session(Map<String, String> environment, InputStream in, PrintStream out, PrintStream err, Clock clock,
                      StepHook hook) {
    /** The process's standard input, the system clock and no crash hook. */
    public static Session of(Map<String, String> environment, PrintStream out, PrintStream err) {
        return new Session(environment, System.in, out, err, Clock.systemUTC(), StepHook.NONE);
    }

    /**
     * A problem with how Rotor was run: {@code error: MESSAGE} on stderr and, in GitHub Actions, an error annotation
     * on the run's page (the message masked like any other line).
     */
    void error(String message) {
        new Console(out, err, inActions()).error(message);
    }

    boolean inActions() {
        return "true".equals(environment.get("GITHUB_ACTIONS"));
    }
}
