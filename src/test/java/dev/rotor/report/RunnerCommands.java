package dev.rotor.report;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How the GitHub Actions runner reads a workflow command from an output line, written from its source
 * (actions/runner: {@code src/Runner.Common/ActionCommand.cs} {@code TryParseV2}, {@code UnescapeData},
 * {@code UnescapeProperty}; {@code src/Runner.Worker/ActionCommandManager.cs} {@code AddMaskCommandExtension}),
 * not from Rotor's escaping, so that the tests check what the runner really registers.
 */
final class RunnerCommands {
    record Command(String name, Map<String, String> properties, String data) {
    }

    private RunnerCommands() {
    }

    /** {@code TryParseV2}: the line is trimmed at the start only; the data is everything after the second "::". */
    static Optional<Command> parse(String line) {
        String message = line.stripLeading();
        if (!message.startsWith("::")) {
            return Optional.empty();
        }
        int end = message.indexOf("::", 2);
        if (end < 0) {
            return Optional.empty();
        }
        String info = message.substring(2, end);
        int space = info.indexOf(' ');
        String name = space < 0 ? info : info.substring(0, space);
        Map<String, String> properties = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (space > 0) {
            for (String property : info.substring(space + 1).strip().split(",")) {
                // Split('=', 2, RemoveEmptyEntries) must give two parts: "k=" and "=v" are dropped.
                int equals = property.indexOf('=');
                if (equals > 0 && equals < property.length() - 1) {
                    properties.put(property.substring(0, equals), unescapeProperty(property.substring(equals + 1)));
                }
            }
        }
        return Optional.of(new Command(name, properties, unescapeData(message.substring(end + 2))));
    }

    /** {@code AddMaskCommandExtension}: the unescaped data is registered as it is, unless it is empty or blank. */
    static Optional<String> registeredMask(String line) {
        return parse(line).filter(c -> c.name().equals("add-mask")).map(Command::data).filter(d -> !d.isBlank());
    }

    /** {@code UnescapeData}: ordinal replaces, in this order. */
    static String unescapeData(String escaped) {
        return escaped.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    }

    /** {@code UnescapeProperty}: ordinal replaces, in this order. */
    static String unescapeProperty(String escaped) {
        return escaped.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
                .replace("%25", "%");
    }
}
