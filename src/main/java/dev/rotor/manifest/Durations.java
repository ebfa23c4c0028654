package dev.rotor.manifest;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the manifest writes them: {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 2w}, or ISO-8601 {@code P90D}. */
public final class Durations {
    public static final String FORMS = "a number with ms, s, m, h, d or w (90d, 12h, 30m, 45s, 500ms, 2w), or ISO-8601 (P90D, PT12H)";
    private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})(ms|[smhdw])");

    private Durations() {
    }

    /** A positive duration; throws IllegalArgumentException naming the accepted forms. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required: " + FORMS);
        }
        String trimmed = text.trim();
        Duration duration;
        Matcher m = SHORT.matcher(trimmed);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            duration = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        } else if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                duration = Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + trimmed + "' is not a duration: expected " + FORMS);
            }
        } else {
            throw new IllegalArgumentException("'" + trimmed + "' is not a duration: expected " + FORMS);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("'" + trimmed + "' must be longer than zero");
        }
        return duration;
    }

    /** The short form the manifest uses ({@code 90d}, {@code 12h}), in the largest unit that divides it exactly. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                return millis / sizes[i] + units[i];
            }
        }
        return millis + "ms";
    }
}
