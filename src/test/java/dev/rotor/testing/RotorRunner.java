package dev.rotor.testing;

import dev.rotor.cli.Rotor;
import dev.rotor.cli.Session;
import dev.rotor.engine.StepHook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** Runs the CLI in-process with a given environment, clock and crash hook, capturing both streams. */
public final class RotorRunner {
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    /** Thrown by a crash hook: an Error, so that no catch block in the engine treats it as a handled failure. */
    public static final class Crash extends Error {
        public Crash(String where) {
            super("simulated crash after " + where);
        }
    }

    private RotorRunner() {
    }

    public static Result run(Map<String, String> env, String... args) {
        return run(env, Clock.systemUTC(), StepHook.NONE, args);
    }

    public static Result run(Map<String, String> env, Clock clock, StepHook hook, String... args) {
        return run(new byte[0], env, clock, hook, args);
    }

    /** With {@code stdin} as the standard input (rotor seal reads its value there). */
    public static Result run(byte[] stdin, Map<String, String> env, String... args) {
        return run(stdin, env, Clock.systemUTC(), StepHook.NONE, args);
    }

    private static Result run(byte[] stdin, Map<String, String> env, Clock clock, StepHook hook, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Rotor.execute(args, new Session(env, new ByteArrayInputStream(stdin), o, e, clock, hook));
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
