package dev.rotor.manifest;

/**
 * One manifest problem. {@code key} is the YAML property path (e.g. {@code secrets.db.targets[1].store});
 * {@code suggestion} says what to do, or is empty. Never carries a secret value.
 */
public record Problem(Location location, String key, String message, String suggestion, boolean warning) {
    public static Problem error(Location location, String key, String message, String suggestion) {
        return new Problem(location, key, message, suggestion == null ? "" : suggestion, false);
    }

    public static Problem warning(Location location, String key, String message, String suggestion) {
        return new Problem(location, key, message, suggestion == null ? "" : suggestion, true);
    }

    /** {@code file:line:col: error: key: message (suggestion)}; without a position {@code file: error: ...}. */
    public String format() {
        return location + ": " + (warning ? "warning" : "error") + ": " + text();
    }

    /** {@code key: message (suggestion)}, without the key when the problem is with the manifest as a whole. */
    public String text() {
        return (key.isEmpty() ? "" : key + ": ") + message + (suggestion.isEmpty() ? "" : " (" + suggestion + ")");
    }
}
