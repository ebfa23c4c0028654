package dev.rotor.generate;

import dev.rotor.manifest.KeyProblem;

import dev.rotor.manifest.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The parsed options of one spec, defaults applied. */
final class Options {
    private final Map<String, Object> values;

    private Options(Map<String, Object> values) {
        this.values = values;
    }

    @SuppressWarnings("unchecked")
    <T> T get(Option<T> option) {
        return (T) values.get(option.key());
    }

    /** Parses {@code raw} against {@code type}'s options, adding every problem found to {@code problems}. */
    static Options read(GeneratorType type, Map<String, Object> raw, List<KeyProblem> problems) {
        List<String> keys = new ArrayList<>();
        for (Option<?> option : type.options()) {
            keys.add(option.key());
        }
        for (String key : raw.keySet()) {
            if (!keys.contains(key) && !"type".equals(key)) {
                String hint = keys.isEmpty() ? type.name() + " takes no options"
                        : Suggestions.didYouMean(key, keys, "options of " + type.name());
                problems.add(new KeyProblem(key, "unknown option for " + type.name(), hint));
            }
        }
        Map<String, Object> values = new HashMap<>();
        for (Option<?> option : type.options()) {
            Object given = raw.get(option.key());
            if (given == null) {
                if (option.required()) {
                    problems.add(new KeyProblem(option.key(),
                            type.name() + " needs " + option.key(), "add " + option.key() + ": to generate"));
                }
                values.put(option.key(), option.defaultValue());
                continue;
            }
            try {
                values.put(option.key(), option.parse(given));
            } catch (Option.Invalid invalid) {
                problems.add(new KeyProblem(option.key(), invalid.getMessage(), invalid.suggestion));
            }
        }
        return new Options(values);
    }
}
