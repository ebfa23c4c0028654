package dev.rotor.generate;

import java.util.List;
import java.util.Optional;

/**
 * The value of one variable in a dotenv file: {@code NAME=value} lines, optional {@code export }, {@code #} comments,
 * blank lines; values unquoted (an unquoted value ends at " #"), 'single-quoted' (literal) or "double-quoted"
 * (with \n, \t, \", \\ escapes). The last definition wins. Values never appear in messages.
 */
final class DotEnv {
    private DotEnv() {
    }

    /**
     * @param source the file's name for messages
     * @throws GenerationException when the line defining {@code name} is malformed (names the line, not its text)
     */
    static Optional<String> lookup(List<String> lines, String name, String source) {
        String found = null;
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int equals = line.indexOf('=');
            if (line.startsWith("#") || equals < 0 || !line.substring(0, equals).strip().equals(name)) {
                continue;
            }
            found = value(line.substring(equals + 1).strip(), source + " line " + number);
        }
        return Optional.ofNullable(found);
    }

    private static String value(String text, String where) {
        if (text.startsWith("'")) {
            int close = text.indexOf('\'', 1);
            if (close < 0) {
                throw new GenerationException(where + ": the single quote is not closed");
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
            throw new GenerationException(where + ": the double quote is not closed");
        }
        int comment = text.indexOf(" #");
        int tabComment = text.indexOf("\t#");
        if (tabComment >= 0 && (comment < 0 || tabComment < comment)) {
            comment = tabComment;
        }
        return (comment < 0 ? text : text.substring(0, comment)).strip();
    }
}
