package dev.rotor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The {@code rotor} command line. */
@Command(name = "rotor", mixinStandardHelpOptions = true, versionProvider = Rotor.Version.class,
        description = {
                "Rotates secrets end to end: generates a new value, makes the owning system accept it, writes it "
                        + "and its derived values to every store, verifies, and keeps the previous value for rollback.",
                "Values are never printed: in GitHub Actions each is announced with ::add-mask:: first."},
        footer = {"%nExamples:",
                "  rotor validate -m rotation.yml           check a manifest (the PR check)",
                "  rotor plan -m rotation.yml -e prod       what would be written where",
                "  rotor rotate -m rotation.yml -e dev      rotate every secret of dev",
                "  rotor rotate --only-due --report r.json  rotate what is older than max-age",
                "  rotor status --format prometheus         secret_age_days for alerts",
                "  rotor rollback --secret db-password -e prod",
                ExitCodes.HELP})
public final class Rotor implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    Session session;

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
     * The command line for these arguments. Picocli reflects over every subcommand it is given, which costs more
     * than the whole of a small {@code validate}; so a command line that names its command gets only that one
     * (with no arguments, an unknown one, {@code help} or root options, all of them, so usage lists them all).
     */
    public static CommandLine commandLine(Session session, String[] args) {
        Rotor root = new Rotor();
        root.session = session;
        String first = args.length > 0 ? args[0] : null;
        CommandLine cli = new CommandLine(root);
        // Added before the streams and handler are set: picocli applies them only to subcommands it already has.
        if (first != null && BUILT_IN.contains(first) && !first.equals("help")) {
            addSubcommand(cli, first, builtIn(first));
            return configure(cli, session);
        }
        List<Subcommand> contributed = new ArrayList<>();
        if (!"help".equals(first)) {
            ServiceLoader.load(Subcommand.class).forEach(contributed::add);
        }
        for (Subcommand command : contributed) {
            if (command.name().equals(first)) {
                addSubcommand(cli, first, command.command(session));
                return configure(cli, session);
            }
        }
        for (String name : BUILT_IN) {
            addSubcommand(cli, name, builtIn(name));
        }
        for (Subcommand command : contributed) {
            addSubcommand(cli, command.name(), command.command(session));
        }
        return configure(cli, session);
    }

    private static CommandLine configure(CommandLine cli, Session session) {
        cli.setOut(new PrintWriter(session.out(), true));
        cli.setErr(new PrintWriter(session.err(), true));
        cli.setExecutionExceptionHandler(new WithheldDetails(session));
        return cli;
    }

    /** The built-in commands, in the order usage lists them (contributed ones follow). */
    private static final List<String> BUILT_IN =
            List.of("validate", "plan", "rotate", "status", "rollback", "repair", "schema", "seal", "help");

    /**
     * A new command object. A switch, not a map of constructor references: linking those would load every command
     * class (and what their fields need, e.g. Jackson for rotate's output) on every start.
     */
    private static Object builtIn(String name) {
        return switch (name) {
            case "validate" -> new ValidateCommand();
            case "plan" -> new PlanCommand();
            case "rotate" -> new RotateCommand();
            case "status" -> new StatusCommand();
            case "rollback" -> new RollbackCommand();
            case "repair" -> new RepairCommand();
            case "schema" -> new SchemaCommand();
            case "seal" -> new SealCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Adds a subcommand with --help and -h (exit 0), except to help, which has its own. */
    private static void addSubcommand(CommandLine cli, String name, Object command) {
        cli.addSubcommand(name, command);
        if (!name.equals("help")) {
            cli.getSubcommands().get(name).getCommandSpec().mixinStandardHelpOptions(true);
        }
    }

    /** Never prints a library's message or stack trace: either could carry a value. */
    private record WithheldDetails(Session session) implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine line, CommandLine.ParseResult parsed) {
            session.err().println("error: unexpected " + e.getClass().getSimpleName()
                    + " (details withheld: they may contain a value)");
            return ExitCodes.FAILED;
        }
    }

    /** Without a command: teach, and say it was not a valid invocation. */
    @Override
    public Integer call() {
        spec.commandLine().usage(session.err());
        return ExitCodes.INVALID;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Rotor.class.getPackage().getImplementationVersion();
            return new String[]{"rotor " + (version == null ? "dev" : version)};
        }
    }
}
