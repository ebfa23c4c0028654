package dev.rotor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The {@code rotor} command line. */
public final class Rotor {
    /** The built-in commands with options, in the order usage lists them (help, then contributed ones, follow). */
    private static final List<String> BUILT_IN =
            List.of("validate", "plan", "rotate", "status", "rollback", "repair", "schema", "seal");

    private Rotor() {
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command line with an explicit environment and streams; returns the exit code. */
    public static int execute(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return execute(args, Session.of(environment, out, err));
    }

    public static int execute(String[] args, Session session) {
        return commandLine(session, args).execute(args);
    }

    /**
     * The command line for these arguments. A command line that names its command gets only that one, so a start
     * loads and links only the classes of the command it runs (with no arguments, an unknown command, {@code help}
     * or root options, all of them, so usage lists them all).
     */
    public static CommandLine commandLine(Session session, String[] args) {
        String first = args.length > 0 ? args[0] : null;
        Map<String, RotorCommand> commands = new LinkedHashMap<>();
        if (first != null && BUILT_IN.contains(first)) {
            commands.put(first, builtIn(first));
        } else {
            List<RotorCommand> contributed = new ArrayList<>();
            ServiceLoader.load(RotorCommand.class).forEach(contributed::add);
            for (RotorCommand command : contributed) {
                if (command.name().equals(first)) {
                    commands.put(first, command);
                }
            }
            if (commands.isEmpty()) {
                BUILT_IN.forEach(name -> commands.put(name, builtIn(name)));
                commands.put("help", new HelpCommand());
                contributed.forEach(command -> commands.put(command.name(), command));
            }
        }
        CommandLine cli = new CommandLine(rootSpec());
        // Added before the streams and handlers are set: picocli applies them only to subcommands it already has.
        commands.values().forEach(command -> cli.addSubcommand(command.name(), command.spec()));
        cli.setOut(new PrintWriter(session.out(), true));
        cli.setErr(new PrintWriter(session.err(), true));
        cli.setExecutionStrategy(new Dispatch(commands, session));
        cli.setParameterExceptionHandler(new UsageError(session));
        return cli;
    }

    private static CommandSpec rootSpec() {
        CommandSpec root = RotorCommand.spec("rotor",
                "Rotates secrets end to end: generates a new value, makes the owning system accept it, writes it "
                        + "and its derived values to every store, verifies, and keeps the previous value for rollback.",
                "Values are never printed: in GitHub Actions each is announced with ::add-mask:: first.");
        root.versionProvider(new Version());
        root.usageMessage().footer("%nExamples:",
                "  rotor validate -m rotation.yml           check a manifest (the PR check)",
                "  rotor plan -m rotation.yml -e prod       what would be written where",
                "  rotor rotate -m rotation.yml -e dev      rotate every secret of dev",
                "  rotor rotate --only-due --report r.json  rotate what is older than max-age",
                "  rotor status --format prometheus         secret_age_days for alerts",
                "  rotor rollback --secret db-password -e prod",
                ExitCodes.HELP);
        return root;
    }

    /**
     * A new command object. A switch, not a map of constructor references: linking those would load every command
     * class (and what they need, e.g. Jackson for status's JSON) on every start.
     */
    private static RotorCommand builtIn(String name) {
        return switch (name) {
            case "validate" -> new ValidateCommand();
            case "plan" -> new PlanCommand();
            case "rotate" -> new RotateCommand();
            case "status" -> new StatusCommand();
            case "rollback" -> new RollbackCommand();
            case "repair" -> new RepairCommand();
            case "schema" -> new SchemaCommand();
            case "seal" -> new SealCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * Help and version requests, then the named command. Without a command: teach, and say it was not a valid
     * invocation. Never prints a library's message or stack trace: either could carry a value. A class, not a
     * lambda: a lambda would link picocli's interface while the image's CDS archive is dumped, and a linked class of
     * picocli's old class-file version is left out of the archive.
     */
    private record Dispatch(Map<String, RotorCommand> commands, Session session)
            implements CommandLine.IExecutionStrategy {
        @Override
        public int execute(ParseResult parsed) {
            try {
                Integer help = CommandLine.executeHelpRequest(parsed);
                if (help != null) {
                    return help;
                }
                if (!parsed.hasSubcommand()) {
                    parsed.commandSpec().commandLine().usage(session.err());
                    return ExitCodes.INVALID;
                }
                ParseResult command = parsed.subcommand();
                return commands.get(command.commandSpec().name()).run(new Arguments(command.commandSpec()), session);
            } catch (Exception e) {
                session.error("unexpected " + e.getClass().getSimpleName()
                        + " (details withheld: they may contain a value)");
                return ExitCodes.FAILED;
            }
        }
    }

    /**
     * A command line picocli cannot parse: the problem, the command's one-line usage and where the rest is. Not the
     * whole help, which would bury the one line that matters. A class for the reason {@link Dispatch} is one.
     */
    private record UsageError(Session session) implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            CommandLine failed = e.getCommandLine();
            boolean unknownCommand = e instanceof CommandLine.UnmatchedArgumentException && failed.getParent() == null
                    && args.length > 0 && !args[0].startsWith("-");
            // picocli says "option option" in its message for a KEY=VALUE option.
            session.error((unknownCommand ? "unknown command '" + args[0] + "'"
                    : e.getMessage().replace("option option", "option")));
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getSuggestions().isEmpty()) {
                session.err().println("did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?");
            }
            CommandLine.Help help = failed.getHelp();
            session.err().print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
            session.err().println("See '" + failed.getCommandSpec().qualifiedName() + " --help' for every option, "
                    + "with examples.");
            return ExitCodes.INVALID;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Rotor.class.getPackage().getImplementationVersion();
            return new String[]{"rotor " + (version == null ? "dev" : version)};
        }
    }
}
