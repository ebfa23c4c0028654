package dev.rotor.action;

import dev.rotor.cli.Arguments;
import dev.rotor.cli.Rotor;
import dev.rotor.cli.RotorCommand;
import dev.rotor.cli.Session;
import dev.rotor.report.Console;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rotor action}: the entry point of the Docker action ({@code args: ["action"]} in action.yml). Reads the
 * action's inputs from the environment, translates them ({@link ActionInputs}) and runs Rotor once per manifest
 * with {@link Rotor#execute}. Everything GitHub-specific beyond the inputs (masks, annotations, step summary,
 * outputs) is done by the core when {@code GITHUB_ACTIONS=true}.
 */
public final class ActionCommand {

    /** Exit code of an input that cannot be translated: a usage error. */
    static final int USAGE = 2;

    /** Registers {@code rotor action} with the CLI (META-INF/services), which imports nothing of this package. */
    public static final class Registration implements RotorCommand {
        @Override
        public String name() {
            return "action";
        }

        @Override
        public CommandSpec spec() {
            CommandSpec spec = RotorCommand.spec(name(),
                    "Runs Rotor from the GitHub Action's INPUT_* variables (used by action.yml).");
            spec.usageMessage().hidden(true);
            return spec;
        }

        @Override
        public int run(Arguments arguments, Session session) {
            return new ActionCommand((argv, env, out, err) -> Rotor.execute(argv,
                    new Session(env, session.in(), out, err, session.clock(), session.hook())),
                    session.environment(), session.out(), session.err()).call();
        }
    }

    /** Runs one Rotor command line; {@link Rotor#execute} in production. */
    @FunctionalInterface
    public interface Cli {
        int execute(String[] argv, Map<String, String> environment, PrintStream out, PrintStream err);
    }

    private final Cli cli;
    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * With the environment and streams {@link Rotor#execute} was given, and how to run the translated command line
     * (Rotor's own session: the same clock and step hook).
     */
    public ActionCommand(Cli cli, Map<String, String> environment, PrintStream out, PrintStream err) {
        this.cli = cli;
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    /** Translates the inputs and runs each command line; the worst exit code. */
    public int call() {
        boolean inActions = "true".equals(environment.get("GITHUB_ACTIONS"));
        if (inActions) {
            for (ActionInputs.Input input : ActionInputs.TOKENS.keySet()) {
                mask(environment.getOrDefault(input.variable(), ""));
            }
        }
        ActionInputs.Translation translation;
        try {
            translation = ActionInputs.translate(environment);
        } catch (ActionInputs.InputException e) {
            if (inActions) {
                out.println("::error title=Rotor action input::" + e.getMessage());
            }
            err.println("rotor action: " + e.getMessage());
            return USAGE;
        }
        if (inActions) {
            for (String name : translation.fromSecrets()) {
                mask(translation.environment().get(name));
            }
        }
        for (String warning : translation.warnings()) {
            if (inActions) {
                out.println("::warning title=Rotor action input::" + warning);
            }
            err.println("rotor action: warning: " + warning);
        }
        int worst = 0;
        for (List<String> argv : translation.commandLines()) {
            worst = Math.max(worst, cli.execute(argv.toArray(String[]::new), translation.environment(), out, err));
        }
        return worst;
    }

    /**
     * Announces each line of a value as a mask. Values from {@code secrets.*} are masked by the runner already; a
     * token minted in an earlier step may not be. The runner unescapes the data, hence the escaping.
     */
    private void mask(String value) {
        for (String line : value.split("\\R")) {
            if (!line.isBlank()) {
                out.println("::add-mask::" + Console.escapeData(line.strip()));
            }
        }
    }
}
