package dev.rotor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code rotor help [COMMAND]}: the usage of rotor, or of one command. picocli's own {@code HelpCommand} would do
 * the same, but it is an annotated class, read by reflection through annotation proxies at every start.
 */
final class HelpCommand implements RotorCommand {
    @Override
    public String name() {
        return "help";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name(name());
        spec.usageMessage().header("Display help information about the specified command.")
                .synopsisHeading("%nUsage: ")
                .description("%nWhen no COMMAND is given, the usage help for the main command is displayed.",
                        "If a COMMAND is specified, the help for that command is shown.%n");
        return spec
                .addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show usage help for the help command and exit.").build())
                .addPositional(PositionalParamSpec.builder().paramLabel("COMMAND").arity("0..1").type(String.class)
                        .description("The COMMAND to display the usage help message for.").build());
    }

    @Override
    public int run(Arguments arguments, Session session) {
        CommandLine rotor = arguments.spec().parent().commandLine();
        String name = arguments.positional(0);
        if (name == null) {
            rotor.usage(session.out());
            return ExitCodes.OK;
        }
        CommandLine command = rotor.getSubcommands().get(name);
        if (command == null) {
            session.err().println("Unknown subcommand '" + name + "'.");
            rotor.usage(session.err());
            return ExitCodes.INVALID;
        }
        command.usage(session.out());
        return ExitCodes.OK;
    }
}
