package dev.rotor.report;

import dev.rotor.manifest.Encodings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Knows every value of this run in every form it may be printed in (raw, each encoding, each line of a
 * multi-line value), announces each new form once (the GitHub Actions {@code ::add-mask::} command) before
 * anything else can print it, and redacts them from any text as a second line of defence.
 */
public final class Masker {
    /** Forms shorter than this are not masked: they would turn ordinary words into asterisks. */
    private static final int SHORTEST_FORM = 4;
    private static final String REDACTED = "***";

    private final Set<String> forms = ConcurrentHashMap.newKeySet();
    /** The forms longest first, rebuilt only when a value is added (redact runs on every printed line). */
    private volatile List<String> longestFirst = List.of();
    private final Consumer<String> announce;

    /** @param announce receives each new form once, before it is used (prints {@code ::add-mask::} in Actions) */
    public Masker(Consumer<String> announce) {
        this.announce = announce;
    }

    /** Registers a value and all its forms; call it before the value goes anywhere. */
    public synchronized void add(String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        for (String form : formsOf(value)) {
            // A multi-line form cannot travel in one workflow command: its lines are announced one by one instead.
            if (form.length() >= SHORTEST_FORM && forms.add(form) && form.indexOf('\n') < 0 && form.indexOf('\r') < 0) {
                announce.accept(form);
            }
        }
        List<String> ordered = new ArrayList<>(forms);
        ordered.sort(Comparator.comparingInt(String::length).reversed());
        longestFirst = List.copyOf(ordered);
    }

    static List<String> formsOf(String value) {
        List<String> all = new ArrayList<>();
        List<String> bases = new ArrayList<>();
        bases.add(value);
        if (value.contains("\n")) {
            for (String line : value.split("\r?\n")) {
                if (!line.isBlank()) {
                    bases.add(line.strip());
                }
            }
        }
        for (String base : bases) {
            all.add(base);
            for (String encoding : Encodings.names()) {
                all.add(Encodings.encode(encoding, base));
            }
        }
        return all;
    }

    /** The text with every known form replaced by {@code ***}, longest first so that no fragment survives. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String form : longestFirst) {
            if (result.contains(form)) {
                result = result.replace(form, REDACTED);
            }
        }
        return result;
    }
}
