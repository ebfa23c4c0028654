package dev.rotor.generate;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.manifest.Plural;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code password}: {@code length} characters from the chosen classes, at least one of each, minus {@code exclude}.
 * One character of each class is drawn from that class, the rest from the union, then a Fisher-Yates shuffle with
 * {@link SecureRandom#nextInt(int)} places the required ones at uniformly random positions.
 */
final class PasswordGenerator implements Generator {
    /** RFC 3986 "unreserved" punctuation minus '~' (tilde expansion): untouched by URL encoding, inert in shells. */
    static final String DEFAULT_SYMBOLS = "-_.";

    private static final Map<String, String> LETTERS_AND_DIGITS = Map.of(
            "lower", "abcdefghijklmnopqrstuvwxyz",
            "upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "digits", "0123456789");
    private static final List<String> CLASS_NAMES = List.of("lower", "upper", "digits", "symbols");

    static final Option<Integer> LENGTH = Option.integer("length", 32, 8, 4096);
    static final Option<List<String>> CLASSES = Option.subsetOf("classes", CLASS_NAMES, CLASS_NAMES);
    static final Option<String> SYMBOLS = Option.text("symbols", DEFAULT_SYMBOLS, PasswordGenerator::symbolsProblem);
    static final Option<String> EXCLUDE = Option.text("exclude", "", text -> null);

    static final GeneratorType TYPE = new GeneratorType("password", List.of(LENGTH, CLASSES, SYMBOLS, EXCLUDE),
            PasswordGenerator::crossCheck, (options, context) -> new PasswordGenerator(options, context.random()));

    private final int length;
    private final String exclude;
    /** Each required class's full alphabet (for policy) and usable alphabet (after exclude, for generation). */
    private final Map<String, String> classAlphabets;
    private final Map<String, String> usableAlphabets;
    private final String usable;
    private final SecureRandom random;

    private PasswordGenerator(Options options, SecureRandom random) {
        this.length = options.get(LENGTH);
        this.exclude = options.get(EXCLUDE);
        this.classAlphabets = alphabets(options.get(CLASSES), options.get(SYMBOLS), "");
        this.usableAlphabets = alphabets(options.get(CLASSES), options.get(SYMBOLS), exclude);
        this.usable = String.join("", usableAlphabets.values());
        this.random = random;
    }

    @Override
    public java.util.OptionalInt maxLength() {
        return java.util.OptionalInt.of(length);
    }

    @Override
    public String generate() {
        char[] chars = new char[length];
        int next = 0;
        for (String alphabet : usableAlphabets.values()) {
            chars[next++] = pick(alphabet);
        }
        while (next < length) {
            chars[next++] = pick(usable);
        }
        for (int i = chars.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            char swap = chars[i];
            chars[i] = chars[j];
            chars[j] = swap;
        }
        String password = new String(chars);
        Arrays.fill(chars, '\0');
        return password;
    }

    private char pick(String alphabet) {
        return alphabet.charAt(random.nextInt(alphabet.length()));
    }

    @Override
    public List<String> policyViolations(String value) {
        List<String> violations = new ArrayList<>();
        int count = value.codePointCount(0, value.length());
        if (count < length) {
            violations.add("has " + count + " characters, the policy asks for at least " + length);
        }
        classAlphabets.forEach((name, alphabet) -> {
            if (value.chars().noneMatch(c -> alphabet.indexOf(c) >= 0)) {
                violations.add("has no character of class " + name);
            }
        });
        long excluded = value.codePoints().filter(c -> exclude.indexOf(c) >= 0).count();
        if (excluded > 0) {
            violations.add("contains " + Plural.count(excluded, "excluded character"));
        }
        String allowed = String.join("", classAlphabets.values());
        long foreign = value.codePoints().filter(c -> exclude.indexOf(c) < 0 && allowed.indexOf(c) < 0).count();
        if (foreign > 0) {
            violations.add("contains " + Plural.count(foreign, "character") + " outside the allowed classes");
        }
        return violations;
    }

    /** The alphabet of each class, in class order, minus {@code exclude}; symbols deduplicated. */
    private static Map<String, String> alphabets(List<String> classes, String symbols, String exclude) {
        Map<String, String> alphabets = new LinkedHashMap<>();
        for (String name : CLASS_NAMES) {
            if (classes.contains(name)) {
                String alphabet = "symbols".equals(name) ? symbols : LETTERS_AND_DIGITS.get(name);
                // A loop, not a stream: validate runs this for every password secret while still interpreted.
                StringBuilder kept = new StringBuilder();
                for (int i = 0; i < alphabet.length(); i++) {
                    char c = alphabet.charAt(i);
                    if (exclude.indexOf(c) < 0 && kept.indexOf(String.valueOf(c)) < 0) {
                        kept.append(c);
                    }
                }
                alphabets.put(name, kept.toString());
            }
        }
        return alphabets;
    }

    private static void crossCheck(Options options, List<KeyProblem> problems) {
        alphabets(options.get(CLASSES), options.get(SYMBOLS), options.get(EXCLUDE)).forEach((name, alphabet) -> {
            if (alphabet.isEmpty()) {
                String key = "symbols".equals(name) && options.get(SYMBOLS).isEmpty() ? "symbols" : "exclude";
                problems.add(new KeyProblem(key, "no character of class " + name
                        + " is left to use", "remove " + name + " from classes or let some of its characters in"));
            }
        });
    }

    private static String symbolsProblem(String symbols) {
        for (char c : symbols.toCharArray()) {
            if (c < 0x21 || c > 0x7e || Character.isLetterOrDigit(c)) {
                return "may hold only printable ASCII punctuation (no letters, digits, spaces or non-ASCII)";
            }
        }
        return null;
    }
}
