package dev.rotor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

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
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("validate", ValidateCommand::new);
        commands.put("plan", PlanCommand::new);
        commands.put("rotate", RotateCommand::new);
        commands.put("status", StatusCommand::new);
        commands.put("rollback", RollbackCommand::new);
        commands.put("repair", RepairCommand::new);
        commands.put("schema", SchemaCommand::new);
        commands.put("seal", SealCommand::new);
        commands.put("help", CommandLine.HelpCommand::new);
        if (args.length == 0 || !commands.containsKey(args[0])) {
            ServiceLoader.load(Subcommand.class).forEach(s -> commands.put(s.name(), () -> s.command(session)));
        }
        String named = args.length > 0 && commands.containsKey(args[0]) && !args[0].equals("help") ? args[0] : null;
        CommandLine cli = new CommandLine(root);
        // Added before the streams and handler are set: picocli applies them only to subcommands it already has.
        commands.forEach((name, command) -> {
            if (named == null || named.equals(name)) {
                cli.addSubcommand(name, command.get());
            }
        });
        // --help and -h on every subcommand, exit 0 (help has its own).
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                sub.getCommandSpec().mixinStandardHelpOptions(true);
            }
        });
        cli.setOut(new PrintWriter(session.out(), true));
        cli.setErr(new PrintWriter(session.err(), true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            // Never print a library's message or stack trace: either could carry a value.
            session.err().println("error: unexpected " + e.getClass().getSimpleName()
                    + " (details withheld: they may contain a value)");
            return ExitCodes.FAILED;
        });
        return cli;
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
