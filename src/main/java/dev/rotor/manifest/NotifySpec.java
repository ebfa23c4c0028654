package dev.rotor.manifest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One {@code notify:} entry: the webhook to post to (exactly {@code ${env:NAME}}: the URL is a credential), the
 * body's format, and the states of a run that send it.
 */
public record NotifySpec(String webhook, Format format, Set<State> on, Location location) {
    /** {@code slack}: a Slack incoming-webhook message; {@code json}: the run report with the state and run URL. */
    public enum Format {
        SLACK, JSON;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a run ended, as a notification names it. */
    public enum State {
        SUCCESS, PARTIAL, FAILURE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static List<String> labels(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    }
}
