package dev.rotor.cli;

import dev.rotor.engine.Advice;
import dev.rotor.engine.Unit;
import dev.rotor.report.RunReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The commands Rotor prints for a user to run next, written so that they run exactly as printed: the way this
 * process was started (the jar's path, or {@code ROTOR_COMMAND}), then the subcommand and its options, each word
 * quoted for a POSIX shell where it needs it. In GitHub Actions the advice names the workflow run to re-run and the
 * inputs to dispatch instead, since the user there never types a command.
 */
final class PrintedCommands implements Advice {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private final String program;
    private final String manifest;
    private final String environment;
    private final List<String> secrets;
    private final boolean actions;
    private final Map<String, String> environmentVariables;

    PrintedCommands(Session session, ManifestOptions options) {
        this.program = program(session.environment());
        this.manifest = options.manifest().toString();
        this.environment = options.environment();
        this.secrets = List.copyOf(options.secrets());
        this.actions = session.inActions();
        this.environmentVariables = session.environment();
    }

    /** {@code workflow run 3003 (https://github.com/acme/web/actions/runs/3003)}: a run a user can open. */
    private String workflowRun(String runId) {
        return "workflow run " + runId + RunReport.runUrl(environmentVariables, runId).map(url -> " (" + url + ")")
                .orElse("");
    }

    /**
     * How this process was started: {@code ROTOR_COMMAND} when the launcher sets it (a wrapper script, an image),
     * else {@code java -jar <the jar as given>} when started from the jar, else {@code rotor}.
     */
    static String program(Map<String, String> environment) {
        String configured = environment.get("ROTOR_COMMAND");
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String command = System.getProperty("sun.java.command", "");
        String first = command.split(" ", 2)[0];
        return first.endsWith(".jar") ? "java -jar " + quote(first) : "rotor";
    }

    @Override
    public String finish(Unit unit, String runId) {
        if (actions) {
            return "re-run the failed jobs of " + workflowRun(runId) + " (it finishes with the journaled value), or "
                    + "run the workflow with inputs command: rotate, secrets: " + unit.secret().name()
                    + environmentInput(unit);
        }
        return command("rotate", unit, "--resume", "--run-id", runId);
    }

    @Override
    public String rollback(Unit unit, String runId) {
        if (actions) {
            return "run the workflow with inputs command: rollback, secrets: " + unit.secret().name()
                    + environmentInput(unit);
        }
        return command("rollback", unit, "--run-id", runId);
    }

    @Override
    public String takeOver(String holder) {
        if (actions) {
            return "re-run " + workflowRun(holder) + " if it was cancelled (its jobs finish with the journaled values), "
                    + "or wait until its lease expires";
        }
        List<String> words = new ArrayList<>(List.of("rotate", "-m", manifest));
        if (environment != null) {
            words.addAll(List.of("--environment", environment));
        }
        secrets.forEach(s -> words.addAll(List.of("--secret", s)));
        words.addAll(List.of("--resume", "--run-id", holder));
        return join(words);
    }

    /**
     * {@code rotate --resume} for one unfinished unit, as printed by {@code status}; with the run whose live lease
     * holds the unit ({@code holder}, or null), the command takes that lease over.
     */
    String resume(String secret, String unitEnvironment, String holder) {
        if (actions) {
            return (holder == null ? "" : "re-run " + workflowRun(holder) + ", or ")
                    + "run the workflow with inputs command: rotate, secrets: " + secret
                    + (unitEnvironment.isEmpty() ? "" : ", environment: " + unitEnvironment);
        }
        List<String> words = new ArrayList<>(List.of("rotate", "-m", manifest, "--secret", secret));
        if (!unitEnvironment.isEmpty()) {
            words.addAll(List.of("--environment", unitEnvironment));
        }
        words.add("--resume");
        if (holder != null) {
            words.addAll(List.of("--run-id", holder));
        }
        return join(words);
    }

    /** {@code repair} of one unit whose copies drifted, as printed by {@code status --drift}. */
    String repair(String secret, String unitEnvironment) {
        if (actions) {
            return "run the workflow with inputs command: repair, secrets: " + secret
                    + (unitEnvironment.isEmpty() ? "" : ", environment: " + unitEnvironment);
        }
        List<String> words = new ArrayList<>(List.of("repair", "-m", manifest, "--secret", secret));
        if (!unitEnvironment.isEmpty()) {
            words.addAll(List.of("--environment", unitEnvironment));
        }
        return join(words);
    }

    private String command(String subcommand, Unit unit, String... more) {
        List<String> words = new ArrayList<>(List.of(subcommand, "-m", manifest, "--secret", unit.secret().name()));
        if (!unit.environment().isEmpty()) {
            words.addAll(List.of("--environment", unit.environment()));
        }
        words.addAll(List.of(more));
        return join(words);
    }

    private static String environmentInput(Unit unit) {
        return unit.environment().isEmpty() ? "" : ", environment: " + unit.environment();
    }

    private String join(List<String> words) {
        StringBuilder line = new StringBuilder(program);
        words.forEach(w -> line.append(' ').append(quote(w)));
        return line.toString();
    }

    /** A word as a POSIX shell reads it back: plain when it is safe, else in single quotes. */
    static String quote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
