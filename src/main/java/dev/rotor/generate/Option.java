package dev.rotor.generate;

import dev.rotor.manifest.OptionInfo;

import dev.rotor.manifest.Suggestions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One option a generator type accepts: its key, how a YAML scalar becomes a typed value, and its default.
 * Parsing failures name the option and the kind of value found, never the value's text (except for choices).
 */
final class Option<T> {
    /** Why a raw value is not acceptable. */
    static final class Invalid extends Exception {
        final String suggestion;

        Invalid(String message, String suggestion) {
            super(message, null, false, false);
            this.suggestion = suggestion;
        }

        Invalid(String message) {
            this(message, "");
        }
    }

    interface Parser<T> {
        T parse(Object raw) throws Invalid;
    }

    private final String key;
    private final T defaultValue;
    private final boolean required;
    private final Parser<T> parser;
    private final OptionInfo info;

    private Option(String key, T defaultValue, boolean required, Parser<T> parser, String kind, List<String> allowed,
                   Integer minimum, Integer maximum) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.required = required;
        this.parser = parser;
        this.info = new OptionInfo(key, kind, required, defaultValue, allowed, minimum, maximum);
    }

    String key() {
        return key;
    }

    T defaultValue() {
        return defaultValue;
    }

    boolean required() {
        return required;
    }

    T parse(Object raw) throws Invalid {
        return parser.parse(raw);
    }

    OptionInfo info() {
        return info;
    }

    /** A whole number in [min, max]; a numeric string such as "32" is accepted too. */
    static Option<Integer> integer(String key, int defaultValue, int min, int max) {
        return new Option<>(key, defaultValue, false, raw -> {
            long value = wholeNumber(raw);
            if (value < min || value > max) {
                throw new Invalid("must be between " + min + " and " + max + ", not " + value);
            }
            return (int) value;
        }, "integer", List.of(), min, max);
    }

    /** A whole number from a fixed list (e.g. RSA bits). */
    static Option<Integer> integerOneOf(String key, int defaultValue, List<Integer> allowed) {
        List<String> names = new ArrayList<>();
        for (int value : allowed) {
            names.add(String.valueOf(value));
        }
        return new Option<>(key, defaultValue, false, raw -> {
            long value = wholeNumber(raw);
            if (!allowed.contains((int) value) || value != (int) value) {
                throw new Invalid("must be one of " + String.join(", ", names) + ", not " + value);
            }
            return (int) value;
        }, "integer", names, null, null);
    }

    /** One name from a fixed list, matched case-insensitively and returned as listed. */
    static Option<String> oneOf(String key, String defaultValue, List<String> allowed) {
        return new Option<>(key, defaultValue, false, raw -> choice(scalarText(raw), allowed, key),
                "string", allowed, null, null);
    }

    /** A non-empty list of names from a fixed list (a single name is taken as a list of one). */
    static Option<List<String>> subsetOf(String key, List<String> defaultValue, List<String> allowed) {
        return new Option<>(key, defaultValue, false, raw -> {
            List<?> items = raw instanceof List<?> list ? list : List.of(scalarText(raw));
            if (items.isEmpty()) {
                throw new Invalid("must name at least one of " + String.join(", ", allowed));
            }
            List<String> chosen = new ArrayList<>();
            for (Object item : items) {
                String name = choice(scalarText(item), allowed, key);
                if (!chosen.contains(name)) {
                    chosen.add(name);
                }
            }
            return List.copyOf(chosen);
        }, "list", allowed, null, null);
    }

    /** Text; {@code rule} returns a problem message or null. */
    static Option<String> text(String key, String defaultValue, Function<String, String> rule) {
        return textOption(key, defaultValue, false, rule);
    }

    /** Text that must be given. */
    static Option<String> requiredText(String key, Function<String, String> rule) {
        return textOption(key, null, true, rule);
    }

    private static Option<String> textOption(String key, String defaultValue, boolean required,
                                             Function<String, String> rule) {
        return new Option<>(key, defaultValue, required, raw -> {
            String text = scalarText(raw);
            String problem = rule.apply(text);
            if (problem != null) {
                throw new Invalid(problem);
            }
            return text;
        }, "string", List.of(), null, null);
    }

    private static String choice(String text, List<String> allowed, String key) throws Invalid {
        for (String name : allowed) {
            if (name.equalsIgnoreCase(text.trim())) {
                return name;
            }
        }
        throw new Invalid("'" + text + "' is not one of " + String.join(", ", allowed),
                Suggestions.didYouMean(text, allowed, key));
    }

    private static long wholeNumber(Object raw) throws Invalid {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof BigInteger big) {
            if (big.bitLength() < 63) {
                return big.longValue();
            }
            throw new Invalid("is far too large");
        }
        if (raw instanceof String text && text.trim().matches("[+-]?\\d{1,18}")) {
            return Long.parseLong(text.trim());
        }
        throw new Invalid("must be a whole number, not " + kindOf(raw));
    }

    private static String scalarText(Object raw) throws Invalid {
        if (raw instanceof String text) {
            return text;
        }
        if (raw instanceof Number || raw instanceof Boolean) {
            return String.valueOf(raw);
        }
        throw new Invalid("must be text, not " + kindOf(raw));
    }

    /** The kind of a YAML value, for messages ("a list", "true/false"), never its content. */
    static String kindOf(Object raw) {
        if (raw == null) {
            return "empty";
        }
        if (raw instanceof Boolean) {
            return "true/false";
        }
        if (raw instanceof Number) {
            return "a decimal number";
        }
        if (raw instanceof String) {
            return "text";
        }
        if (raw instanceof Collection<?>) {
            return "a list";
        }
        if (raw instanceof Map<?, ?>) {
            return "a map";
        }
        return raw.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
