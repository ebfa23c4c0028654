package dev.rotor.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command of {@code rotor}: its picocli model, built in code, and what it does with the options it was given.
 * Built in code rather than from annotations: picocli reads annotations by reflection through dynamic proxies
 * that no CDS archive can hold, about 20 ms of every start (docs/performance.md), more than a small validate.
 * Built-in commands are made by {@link Rotor}; a package above {@code cli} (the GitHub Action's {@code rotor
 * action}) contributes one through {@link java.util.ServiceLoader}, so that {@code cli} imports none of them.
 */
public interface RotorCommand {
    String name();

    /** The command's name, description and options; see {@link #spec(String, String...)}. */
    CommandSpec spec();

    /** Runs the command with its parsed options; returns the exit code ({@link ExitCodes}). */
    int run(Arguments arguments, Session session);

    /** A command's model with its description and the standard {@code -h/--help} and {@code -V/--version}. */
    static CommandSpec spec(String name, String... description) {
        CommandSpec spec = CommandSpec.create().name(name);
        spec.usageMessage().description(description);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }

    /** An option that takes no value: true when given. */
    static OptionSpec flag(String name, String description) {
        return OptionSpec.builder(name).type(boolean.class).description(description).build();
    }
}
