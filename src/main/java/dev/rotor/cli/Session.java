package dev.rotor.cli;

import dev.rotor.engine.StepHook;

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

    boolean inActions() {
        return "true".equals(environment.get("GITHUB_ACTIONS"));
    }
}
