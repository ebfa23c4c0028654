package dev.rotor.manifest;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as the manifest writes them: {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 2w}, or ISO-8601 {@code P90D}. */
public final class Durations {
    public static final String FORMS = "a number with ms, s, m, h, d or w (90d, 12h, 30m, 45s, 500ms, 2w), or ISO-8601 (P90D, PT12H)";

    private Durations() {
    }

    /** A positive duration; throws IllegalArgumentException naming the accepted forms. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required: " + FORMS);
        }
        String trimmed = text.trim();
        Duration duration = shortForm(trimmed);
        if (duration == null) {
            duration = isoForm(trimmed);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("'" + trimmed + "' must be longer than zero");
        }
        return duration;
    }

    /**
     * One to nine digits and a unit ({@code 90d}), else null. Read by hand, not with a regex: validate reads every
     * secret's max-age while still interpreted.
     */
    private static Duration shortForm(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 9) {
            return null;
        }
        long n = Long.parseLong(text, 0, digits, 10);
        return switch (text.substring(digits)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> null;
        };
    }

    private static Duration isoForm(String text) {
        if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                // the same message as any other text that is not a duration
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: expected " + FORMS);
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
