package dev.rotor.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML that manifests are written in without SnakeYAML: block mappings and sequences, flow collections,
 * plain and one-line quoted scalars, comments. SnakeYAML's scanner, interpreted at start-up, was half
 * of what `rotor validate` spent after the command line. Anything outside this subset, every error included, gives
 * null, and {@link Yaml} reads the text with SnakeYAML instead: the tree is the same either way (YamlSubsetTest
 * compares the two), and every message still comes from SnakeYAML.
 */
final class YamlSubset {
    /** Leaves the subset; stackless, and thrown at most once per document. */
    private static final class Outside extends RuntimeException {
        Outside() {
            super(null, null, false, false);
        }
    }

    private static final Outside OUTSIDE = new Outside();

    /** Plain scalars SnakeYAML reads as booleans that this reader leaves to it (YAML 1.1's yes, no, on, off...). */
    private static final Set<String> OTHER_BOOLEANS = Set.of("y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO",
            "on", "On", "ON", "off", "Off", "OFF");

    private static final Set<String> INFINITY_AND_NAN = Set.of("inf", "Inf", "INF", "nan", "NaN", "NAN");

    private final Path file;
    private final char[] chars;
    /** Where each line starts, plus one past the end of the text. */
    private final int[] lineStarts;
    private final int lineCount;
    /** The line being read. */
    private int line;
    /** Where the last inline node ended (on the current line). */
    private int pos;
    /** The column of the block collection holding the flow collection being read: its lines go deeper. */
    private int flowIndent;

    private YamlSubset(Path file, char[] chars, int[] lineStarts, int lineCount) {
        this.file = file;
        this.chars = chars;
        this.lineStarts = lineStarts;
        this.lineCount = lineCount;
    }

    /** The root node, or null when the text is not in the subset (or not valid YAML). */
    static Yaml.Node read(Path file, String text) {
        if (text.length() > ManifestLoader.MAX_BYTES) {
            return null; // SnakeYAML's code point limit reports it
        }
        char[] chars = text.toCharArray();
        int lines = 1;
        for (char c : chars) {
            if (c == '\n') {
                lines++;
            } else if (!readable(c)) {
                return null;
            }
        }
        int[] starts = new int[lines + 1];
        for (int i = 0, l = 1; i < chars.length; i++) {
            if (chars[i] == '\n') {
                starts[l++] = i + 1;
            }
        }
        starts[lines] = chars.length + 1;
        try {
            return new YamlSubset(file, chars, starts, lines).document();
        } catch (Outside e) {
            return null;
        }
    }

    /** No tab, carriage return, control character, BOM, surrogate or line break other than '\n'. */
    private static boolean readable(char c) {
        return c >= 0x20 && c <= 0x7e || c >= 0xa0 && c < 0xd800 && c != 0x2028 && c != 0x2029
                || c >= 0xe000 && c <= 0xfffd && c != 0xfeff;
    }

    private Yaml.Node document() {
        line = nextContent(0);
        if (line == lineCount) {
            throw OUTSIDE;
        }
        Yaml.Node root = blockMapping(indent(line), start(line) + indent(line));
        if (line != lineCount) {
            throw OUTSIDE;
        }
        return root;
    }

    /**
     * The block mapping whose first key starts at {@code first} (on the current line, maybe after "- "), the
     * following keys at column {@code indent}.
     */
    private Yaml.MapNode blockMapping(int indent, int first) {
        Map<String, Yaml.Field> fields = new LinkedHashMap<>();
        Location at = location(first);
        for (int p = first; ; p = start(line) + indent) {
            int colon = keyEnd(p);
            if (colon < 0) {
                throw OUTSIDE;
            }
            String key = key(p, colon);
            if (fields.containsKey(key)) {
                throw OUTSIDE; // SnakeYAML's reading reports the duplicate
            }
            Location keyAt = location(p);
            fields.put(key, new Yaml.Field(key, keyAt, value(colon + 1, indent)));
            if (line == lineCount || indent(line) < indent) {
                break;
            }
            if (indent(line) > indent || entry(line, indent)) {
                throw OUTSIDE;
            }
        }
        return new Yaml.MapNode(at, Collections.unmodifiableMap(fields));
    }

    /** The block sequence whose entries' '-' are at column {@code indent}, from the current line. */
    private Yaml.ListNode blockSequence(int indent, boolean indentless) {
        Location at = location(start(line) + indent);
        List<Yaml.Node> items = new ArrayList<>();
        while (line < lineCount && indent(line) == indent && entry(line, indent)) {
            int p = skipSpaces(start(line) + indent + 1);
            if (p == end(line) || chars[p] == '#' || chars[p] == '-' && blankAfter(p, end(line))) {
                throw OUTSIDE; // an entry on the next lines, or a sequence in a sequence
            }
            items.add(keyEnd(p) >= 0 ? blockMapping(p - start(line), p) : inlineValue(p, indent));
        }
        if (line < lineCount && (indent(line) > indent || !indentless && indent(line) == indent)) {
            throw OUTSIDE;
        }
        return new Yaml.ListNode(at, List.copyOf(items));
    }

    /** The value after a key's ':' at {@code p}, in a block mapping at column {@code indent}. */
    private Yaml.Node value(int p, int indent) {
        int q = skipSpaces(p);
        if (q < end(line) && chars[q] != '#') {
            return inlineValue(q, indent);
        }
        int afterIndicator = line;
        int next = nextContent(line + 1);
        if (next < lineCount && indent(next) > indent) {
            line = next;
            int nested = indent(next);
            return entry(next, nested) ? blockSequence(nested, false) : blockMapping(nested, start(next) + nested);
        }
        if (next < lineCount && indent(next) == indent && entry(next, indent)) {
            line = next;
            return blockSequence(indent, true);
        }
        line = next;
        return new Yaml.Scalar(new Location(file, afterIndicator + 1, p - start(afterIndicator) + 1), null, "",
                Yaml.Style.PLAIN);
    }

    /** A node written from {@code p} (a flow collection may go on over lines), then at most a comment. */
    private Yaml.Node inlineValue(int p, int indent) {
        flowIndent = indent;
        Yaml.Node node = inline(p, false);
        int q = skipSpaces(pos);
        if (q < end(line) && (chars[q] != '#' || q == pos)) {
            throw OUTSIDE;
        }
        line = nextContent(line + 1);
        if (line < lineCount && indent(line) > indent) {
            throw OUTSIDE; // a plain scalar continued on the next line, or an error
        }
        return node;
    }

    private Yaml.Node inline(int p, boolean flow) {
        if (p >= end(line)) {
            throw OUTSIDE;
        }
        return switch (chars[p]) {
            case '{' -> flowMapping(p);
            case '[' -> flowSequence(p);
            case '"' -> quoted(p, '"', Yaml.Style.DOUBLE_QUOTED);
            case '\'' -> quoted(p, '\'', Yaml.Style.SINGLE_QUOTED);
            default -> plainScalar(p, flow);
        };
    }

    private Yaml.MapNode flowMapping(int open) {
        Map<String, Yaml.Field> fields = new LinkedHashMap<>();
        Location at = location(open);
        int p = skipFlowSpace(open + 1);
        while (at(p) != '}') {
            int colon = keyEnd(p);
            if (colon < 0 || at(colon + 1) != ' ') {
                throw OUTSIDE;
            }
            String key = key(p, colon);
            if (fields.containsKey(key)) {
                throw OUTSIDE;
            }
            Location keyAt = location(p);
            Location empty = location(colon + 1);
            int q = skipFlowSpace(colon + 1);
            Yaml.Node value;
            if (at(q) == ',' || at(q) == '}') {
                value = new Yaml.Scalar(empty, null, "", Yaml.Style.PLAIN);
                pos = q;
            } else {
                value = inline(q, true);
            }
            fields.put(key, new Yaml.Field(key, keyAt, value));
            p = nextInFlow(skipFlowSpace(pos), '}');
        }
        pos = p + 1;
        return new Yaml.MapNode(at, Collections.unmodifiableMap(fields));
    }

    private Yaml.ListNode flowSequence(int open) {
        List<Yaml.Node> items = new ArrayList<>();
        Location at = location(open);
        int p = skipFlowSpace(open + 1);
        while (at(p) != ']') {
            items.add(inline(p, true));
            p = nextInFlow(skipFlowSpace(pos), ']');
        }
        pos = p + 1;
        return new Yaml.ListNode(at, List.copyOf(items));
    }

    /** After a flow entry: the next entry after ',', or the closing bracket; no trailing ',' and no ':' here. */
    private int nextInFlow(int p, char close) {
        if (at(p) == close) {
            return p;
        }
        if (at(p) != ',') {
            throw OUTSIDE;
        }
        int next = skipFlowSpace(p + 1);
        char c = at(next);
        if (c == close || c == ',' || c == 0) {
            throw OUTSIDE;
        }
        return next;
    }

    /** A one-line quoted scalar; a double-quoted one without escapes. */
    private Yaml.Scalar quoted(int open, char quote, Yaml.Style style) {
        StringBuilder text = new StringBuilder();
        int end = end(line);
        for (int p = open + 1; p < end; p++) {
            char c = chars[p];
            if (c == quote) {
                if (quote == '\'' && p + 1 < end && chars[p + 1] == '\'') {
                    text.append('\'');
                    p++;
                    continue;
                }
                pos = p + 1;
                String value = text.toString();
                return new Yaml.Scalar(location(open), value, value, style);
            }
            if (c == '\\' && quote == '"') {
                throw OUTSIDE;
            }
            text.append(c);
        }
        throw OUTSIDE; // continued on the next line
    }

    /**
     * A plain scalar up to ": " or " #" (in a flow collection also up to ',', ']' or '}'). Its type is decided here
     * only where the answer is certain: anything SnakeYAML could read as another number, a timestamp or a YAML 1.1
     * boolean is left to it.
     */
    private Yaml.Scalar plainScalar(int first, boolean flow) {
        char c = chars[first];
        if ("?:,[]{}#&*!|>%@`".indexOf(c) >= 0 || c == '-' && blankAfter(first, end(line))) {
            throw OUTSIDE;
        }
        int end = end(line);
        int p = first;
        while (p < end) {
            char ch = chars[p];
            if (ch == ':' && (p + 1 == end || chars[p + 1] == ' ' || flow)
                    || ch == '#' && chars[p - 1] == ' ') {
                break;
            }
            if (flow && (ch == ',' || ch == ']' || ch == '}')) {
                break;
            }
            if (flow && (ch == '[' || ch == '{' || ch == '?')) {
                throw OUTSIDE;
            }
            p++;
        }
        int last = p;
        while (chars[last - 1] == ' ') {
            last--;
        }
        pos = last;
        String text = new String(chars, first, last - first);
        return new Yaml.Scalar(location(first), typed(text), text, Yaml.Style.PLAIN);
    }

    /** A plain scalar's value as Jackson reads it through SnakeYAML's resolver: String, Integer, Boolean or null. */
    private static Object typed(String text) {
        switch (text) {
            case "~", "null", "Null", "NULL" -> {
                return null;
            }
            case "true", "True", "TRUE" -> {
                return Boolean.TRUE;
            }
            case "false", "False", "FALSE" -> {
                return Boolean.FALSE;
            }
            default -> {
            }
        }
        char c = text.charAt(0);
        if (c == '<' || OTHER_BOOLEANS.contains(text)) {
            throw OUTSIDE;
        }
        if ("+-.0123456789".indexOf(c) < 0) {
            return text;
        }
        if (smallInteger(text)) {
            return Integer.valueOf(text);
        }
        int digits = c == '+' || c == '-' ? 1 : 0;
        if (digits == text.length()
                || text.charAt(digits) == '0' && digits + 1 < text.length() && Character.isLetter(text.charAt(digits + 1))) {
            throw OUTSIDE; // 0x1F, 0b101...
        }
        if (text.charAt(digits) == '.') {
            // A float that starts with '.' goes on with a digit, or is .inf or .nan.
            String rest = text.substring(digits + 1);
            if (rest.isEmpty() || Character.isDigit(rest.charAt(0)) || INFINITY_AND_NAN.contains(rest)) {
                throw OUTSIDE;
            }
            return text;
        }
        // A '-' inside (not an exponent's sign) is written only by a timestamp, which starts with a four-digit year.
        int dash = text.indexOf('-', 1);
        if (dash > 0 && "eE".indexOf(text.charAt(dash - 1)) < 0 && !(dash == 4 && digits == 0 && digitsOnly(text, 0, 4))) {
            return text;
        }
        // Each of SnakeYAML's int, float and timestamp forms is written with these characters only.
        for (int i = digits; i < text.length(); i++) {
            if ("0123456789_.:eE+-tTzZ ".indexOf(text.charAt(i)) < 0) {
                return text;
            }
        }
        throw OUTSIDE;
    }

    private static boolean digitsOnly(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** 0, or up to nine digits not starting with 0, maybe after '-': an int wherever YAML reads it. */
    private static boolean smallInteger(String text) {
        int from = text.charAt(0) == '-' ? 1 : 0;
        int length = text.length() - from;
        return length >= 1 && length <= 9 && !(text.charAt(from) == '0' && (length > 1 || from == 1))
                && digitsOnly(text, from, text.length());
    }

    /** Where the ':' after a simple key at {@code p} is (a name, then ':' and a space or the line's end), else -1. */
    private int keyEnd(int p) {
        int end = end(line);
        if (p >= end || !(Character.isLetterOrDigit(chars[p]) && chars[p] < 0x80 || chars[p] == '_')) {
            return -1;
        }
        int q = p + 1;
        while (q < end && (chars[q] < 0x80 && Character.isLetterOrDigit(chars[q]) || "_.-/".indexOf(chars[q]) >= 0)) {
            q++;
        }
        return q < end && chars[q] == ':' && (q + 1 == end || chars[q + 1] == ' ') ? q : -1;
    }

    /** A key's text; a key SnakeYAML would read as anything but a string is left to it. */
    private String key(int p, int colon) {
        String key = new String(chars, p, colon - p);
        if (!(typed(key) instanceof String)) {
            throw OUTSIDE;
        }
        return key;
    }

    /** Whether line {@code l} is a block sequence entry with its '-' at column {@code indent}. */
    private boolean entry(int l, int indent) {
        int p = start(l) + indent;
        return chars[p] == '-' && blankAfter(p, end(l));
    }

    private boolean blankAfter(int p, int end) {
        return p + 1 == end || chars[p + 1] == ' ';
    }

    /** The first line from {@code l} with content (not blank, not only a comment); a document marker leaves. */
    private int nextContent(int l) {
        for (; l < lineCount; l++) {
            int p = start(l) + indent(l);
            if (p < end(l) && chars[p] != '#') {
                if (chars[p] == '%' || p == start(l) && (startsWith(p, "---") || startsWith(p, "..."))) {
                    throw OUTSIDE;
                }
                return l;
            }
        }
        return lineCount;
    }

    private boolean startsWith(int p, String prefix) {
        if (p + prefix.length() > chars.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (chars[p + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indent(int l) {
        int p = start(l);
        int end = end(l);
        while (p < end && chars[p] == ' ') {
            p++;
        }
        return p - start(l);
    }

    private int skipSpaces(int p) {
        int end = end(line);
        while (p < end && chars[p] == ' ') {
            p++;
        }
        return p;
    }

    /**
     * Past spaces, a comment and line breaks inside a flow collection; its next lines must be indented deeper than
     * the block collection holding it.
     */
    private int skipFlowSpace(int p) {
        p = skipSpaces(p);
        while (p == end(line) || chars[p] == '#' && chars[p - 1] == ' ') {
            line = nextContent(line + 1);
            if (line == lineCount || indent(line) <= flowIndent) {
                throw OUTSIDE;
            }
            p = start(line) + indent(line);
        }
        return p;
    }

    /** The character at {@code p} of the current line, 0 past its end. */
    private char at(int p) {
        return p < end(line) ? chars[p] : 0;
    }

    private int start(int l) {
        return lineStarts[l];
    }

    /** Where line {@code l} ends (its '\n', or the end of the text). */
    private int end(int l) {
        return lineStarts[l + 1] - 1;
    }

    private Location location(int p) {
        return new Location(file, line + 1, p - start(line) + 1);
    }
}
