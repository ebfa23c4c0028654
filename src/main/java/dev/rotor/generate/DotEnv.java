package dev.rotor.generate;

import java.util.List;
import java.util.Optional;

/**
 * The one dotenv syntax Rotor reads and writes (the {@code provided} generator's file and the {@code dotenv} store):
 * {@code NAME=value} lines, optional {@code export }, {@code #} comments, blank lines; values unquoted (an unquoted
 * value ends at " #" or a tab before #), 'single-quoted' (literal) or "double-quoted" (with \n, \t, \r, \", \\, \$
 * escapes). Reading, the last assignment of a name wins, as in a shell that sources the file. Values never appear in
 * messages.
 */
public final class DotEnv {
    private static final String EXPORT = "export ";

    private DotEnv() {
    }

    /** A line that assigns the name looked up but cannot be read; says which line and why, never its text. */
    public static final class MalformedLine extends RuntimeException {
        private final int line;

        MalformedLine(int line, String problem) {
            super(problem);
            this.line = line;
        }

        /** 1-based. */
        public int line() {
            return line;
        }
    }

    /**
     * The value of the last line that assigns {@code name}.
     *
     * @throws MalformedLine when that line's value cannot be read
     */
    public static Optional<String> lookup(List<String> lines, String name) {
        for (int number = lines.size(); number >= 1; number--) {
            String line = lines.get(number - 1);
            if (name.equals(keyOf(line))) {
                return Optional.of(assignedValue(line, number));
            }
        }
        return Optional.empty();
    }

    /**
     * Reads every assignment, so that a file this syntax cannot read whole (a value spread over lines, whose
     * continuation lines would look like assignments of their own) is refused before any line of it is rewritten.
     *
     * @throws MalformedLine naming the first line whose value cannot be read
     */
    public static void checkEveryLine(List<String> lines) {
        for (int number = 1; number <= lines.size(); number++) {
            if (keyOf(lines.get(number - 1)) != null) {
                assignedValue(lines.get(number - 1), number);
            }
        }
    }

    private static String assignedValue(String line, int number) {
        String body = withoutExport(line.strip());
        return value(body.substring(body.indexOf('=') + 1).strip(), number);
    }

    /** The name a line assigns, or null for a comment, a blank line or a line without '='. */
    public static String keyOf(String line) {
        String body = withoutExport(line.strip());
        int equals = body.indexOf('=');
        return body.startsWith("#") || equals < 0 ? null : body.substring(0, equals).strip();
    }

    public static boolean isExported(String line) {
        return line.strip().startsWith(EXPORT);
    }

    /** {@code [export ]NAME=value}, the value quoted where it needs it so that {@link #lookup} reads it back as is. */
    public static String assignment(String name, String value, boolean export) {
        return (export ? EXPORT : "") + name + "=" + quote(value);
    }

    private static String quote(String value) {
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c > ' ' && c != '"' && c != '\'' && c != '#'
                && c != '\\' && c != '$' && c != '`' && c < 127);
        if (plain) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`")
                .replace("\n", "\\n").replace("\r", "\\r") + '"';
    }

    private static String withoutExport(String line) {
        return line.startsWith(EXPORT) ? line.substring(EXPORT.length()).strip() : line;
    }

    private static String value(String text, int line) {
        if (text.startsWith("'")) {
            int close = text.indexOf('\'', 1);
            if (close < 0) {
                throw new MalformedLine(line, "the single quote is not closed");
            }
            return text.substring(1, close);
        }
        if (text.startsWith("\"")) {
            StringBuilder value = new StringBuilder();
            for (int i = 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && i + 1 < text.length()) {
                    char escaped = text.charAt(++i);
                    value.append(switch (escaped) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> escaped;
                    });
                } else {
                    value.append(c);
                }
            }
            throw new MalformedLine(line, "the double quote is not closed");
        }
        int comment = text.indexOf(" #");
        int tabComment = text.indexOf("\t#");
        if (tabComment >= 0 && (comment < 0 || tabComment < comment)) {
            comment = tabComment;
        }
        return (comment < 0 ? text : text.substring(0, comment)).strip();
    }
}
