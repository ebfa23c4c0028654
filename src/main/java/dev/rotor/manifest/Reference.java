package dev.rotor.manifest;

import java.util.List;
import java.util.regex.Pattern;

/** What a {@code ${...}} expression refers to; shared by validation and rendering so both read it alike. */
record Reference(Kind kind, String argument) {
    enum Kind {
        /** {@code ${env}}: the environment's name. */
        ENVIRONMENT,
        /** {@code ${ENV}}: the name upper-cased, '-' as '_'. */
        ENVIRONMENT_UPPER,
        /** {@code ${vars.NAME}}. */
        VARIABLE,
        /** {@code ${env:NAME}}: the process environment. */
        PROCESS_ENV,
        /** {@code ${secret}}. */
        SECRET,
        /** {@code ${secret.ENCODING}}, {@code ${secret.FIELD}} or {@code ${secret.FIELD.ENCODING}}. */
        SECRET_ENCODED,
        UNKNOWN
    }

    static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The forms a message lists when an expression is unknown. */
    static final List<String> FORMS = List.of("env", "ENV", "vars.NAME", "env:NAME", "secret", "secret.ENCODING",
            "secret.FIELD");

    /** The field of a {@code ${secret.X}} argument ({@code username} of {@code username.url}), or null for an encoding. */
    static String field(String argument) {
        int dot = argument.indexOf('.');
        String first = dot < 0 ? argument : argument.substring(0, dot);
        return Encodings.exists(first) ? null : first;
    }

    /** The encoding of a {@code ${secret.X}} argument, or null when the field is used as it is. */
    static String encoding(String argument) {
        if (field(argument) == null) {
            return argument;
        }
        int dot = argument.indexOf('.');
        return dot < 0 ? null : argument.substring(dot + 1);
    }

    static Reference parse(String expression) {
        if (expression.equals("env")) {
            return new Reference(Kind.ENVIRONMENT, "");
        }
        if (expression.equals("ENV")) {
            return new Reference(Kind.ENVIRONMENT_UPPER, "");
        }
        if (expression.equals("secret")) {
            return new Reference(Kind.SECRET, "");
        }
        if (expression.startsWith("vars.") && VARIABLE_NAME.matcher(expression.substring(5)).matches()) {
            return new Reference(Kind.VARIABLE, expression.substring(5));
        }
        if (expression.startsWith("env:") && ENV_NAME.matcher(expression.substring(4)).matches()) {
            return new Reference(Kind.PROCESS_ENV, expression.substring(4));
        }
        if (expression.startsWith("secret.") && expression.length() > 7) {
            return new Reference(Kind.SECRET_ENCODED, expression.substring(7));
        }
        return new Reference(Kind.UNKNOWN, expression);
    }
}
