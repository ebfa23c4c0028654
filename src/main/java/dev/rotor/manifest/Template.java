package dev.rotor.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A string with {@code ${...}} references: {@code ${env}}, {@code ${ENV}}, {@code ${vars.NAME}},
 * {@code ${env:NAME}} (process environment), {@code ${secret}} and {@code ${secret.ENCODING}}.
 * {@code $${} stands for a literal {@code ${}. Parsing checks syntax only; meaning is the validator's job.
 */
public final class Template {
    /** One {@code ${...}}: its expression (read by {@link Reference#parse}) and 0-based offset, for column numbers. */
    public record Placeholder(String expression, int offset) {
    }

    private final List<Object> parts; // String literals and Placeholders, in order

    private Template(List<Object> parts) {
        this.parts = parts;
    }

    /**
     * Whether a manifest value still holds a reference ({@code ${vars.x}}, {@code ${env:NAME}}) that only plan can
     * render: validate checks such a value's form once it is rendered, never before. Null is no template.
     */
    public static boolean unrendered(Object value) {
        return value != null && String.valueOf(value).contains("${");
    }

    public static Template parse(String source) throws TemplateSyntaxException {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (source.startsWith("${", i)) {
                int end = source.indexOf('}', i + 2);
                if (end < 0) {
                    throw new TemplateSyntaxException(i, "unclosed '${' (add '}' or write '$${' for a literal)");
                }
                String expression = source.substring(i + 2, end).trim();
                if (expression.isEmpty()) {
                    throw new TemplateSyntaxException(i, "empty reference '${}'");
                }
                if (expression.contains("${")) {
                    throw new TemplateSyntaxException(i, "nested '${' inside a reference");
                }
                if (literal.length() > 0) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(new Placeholder(expression, i));
                i = end + 1;
            } else {
                literal.append(source.charAt(i++));
            }
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new Template(List.copyOf(parts));
    }

    public List<Placeholder> placeholders() {
        List<Placeholder> refs = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof Placeholder r) {
                refs.add(r);
            }
        }
        return refs;
    }

    /** Renders with {@code resolver} mapping an expression to its value (it throws for an unknown one). */
    public String render(Function<String, String> resolver) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            out.append(part instanceof Placeholder r ? resolver.apply(r.expression()) : (String) part);
        }
        return out.toString();
    }

    /** A syntax error at a 0-based offset of the template string. */
    public static final class TemplateSyntaxException extends Exception {
        private final int offset;

        public TemplateSyntaxException(int offset, String message) {
            super(message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }
}
