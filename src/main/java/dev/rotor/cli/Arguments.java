package dev.rotor.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;
import java.util.Map;

/** The options a command was given, read from its parsed picocli model: a default applies to an option not given. */
public final class Arguments {
    private final CommandSpec spec;

    Arguments(CommandSpec spec) {
        this.spec = spec;
    }

    /** The value of the option with this name; its default when it was not given, null when it has none. */
    public <T> T value(String option) {
        OptionSpec found = spec.findOption(option);
        if (found == null) {
            throw new IllegalArgumentException("rotor " + spec.name() + " has no option " + option);
        }
        return found.getValue();
    }

    /** The positional parameter at {@code index}; null when it was not given. */
    public String positional(int index) {
        return spec.positionalParameters().size() > index ? spec.positionalParameters().get(index).getValue() : null;
    }

    /** The parsed model, for a command that works on the command line itself ({@code help}). */
    CommandSpec spec() {
        return spec;
    }

    public boolean flag(String option) {
        return Boolean.TRUE.equals(value(option));
    }

    /** A repeatable option's values in the order given; empty when it was not given. */
    public List<String> list(String option) {
        List<String> values = value(option);
        return values == null ? List.of() : values;
    }

    /** A repeatable {@code KEY=VALUE} option's entries in the order given; empty when it was not given. */
    public Map<String, String> map(String option) {
        Map<String, String> values = value(option);
        return values == null ? Map.of() : values;
    }
}
