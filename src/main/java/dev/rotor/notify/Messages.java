package dev.rotor.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.manifest.NotifySpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The bodies a webhook receives, both made from the run report's JSON ({@code --report}), so they say exactly what
 * the report says: names, environments, outcomes, failed steps, the reason and the run; never a value.
 */
final class Messages {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Slack's limits: a header's plain text, a section's mrkdwn text. */
    private static final int HEADER_MAX = 150;
    private static final int SECTION_MAX = 3000;

    private Messages() {
    }

    /**
     * How the run ended, or empty when it changed nothing and failed nothing (nothing was due, a re-run of a finished
     * run): exit 3 is partial, any other non-zero exit a failure, exit 0 a success when a unit was rotated or rolled back.
     */
    static Optional<NotifySpec.State> state(JsonNode report) {
        int exit = report.path("exitCode").asInt();
        if (exit == 3) {
            return Optional.of(NotifySpec.State.PARTIAL);
        }
        if (exit != 0) {
            return Optional.of(NotifySpec.State.FAILURE);
        }
        for (JsonNode unit : report.path("units")) {
            String outcome = unit.path("outcome").asText();
            if (outcome.equals("rotated") || outcome.equals("rolled_back")) {
                return Optional.of(NotifySpec.State.SUCCESS);
            }
        }
        return Optional.empty();
    }

    /** The run report with {@code state} first and {@code runUrl} after {@code runId}. */
    static String json(JsonNode report, NotifySpec.State state, Optional<String> runUrl) {
        ObjectNode body = JSON.createObjectNode().put("state", state.label());
        report.fields().forEachRemaining(field -> {
            body.set(field.getKey(), field.getValue());
            if (field.getKey().equals("runId")) {
                runUrl.ifPresent(url -> body.put("runUrl", url));
            }
        });
        return body.toString();
    }

    /** A Slack incoming-webhook message: {@code text} (the notification's fallback) and header, units and context blocks. */
    static String slack(JsonNode report, NotifySpec.State state, Optional<String> runUrl) {
        String headline = "Rotor " + report.path("command").asText()
                + (report.path("emergency").asBoolean() ? " (emergency)" : "") + ": " + state.label();
        String reason = report.hasNonNull("reason") ? report.get("reason").asText().replace('\n', ' ') : null;
        ObjectNode body = JSON.createObjectNode().put("text", escape(headline + "; " + counts(report)
                + (reason == null ? "" : "; reason: " + reason)));
        ArrayNode blocks = body.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", headline.length() <= HEADER_MAX ? headline
                : headline.substring(0, HEADER_MAX - 3) + "...");
        for (String section : sections(report)) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", section);
        }
        ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
        if (reason != null) {
            context.addObject().put("type", "mrkdwn").put("text", "Reason: " + escape(reason));
        }
        String runId = escape(report.path("runId").asText());
        context.addObject().put("type", "mrkdwn").put("text", "Run " + runUrl.map(url -> "<" + escape(url) + "|"
                + runId + ">").orElse(runId) + ", exit code " + report.path("exitCode").asInt());
        return body.toString();
    }

    /** {@code 2 rotated, 1 not started}: each outcome with its count, in the order units met them. */
    private static String counts(JsonNode report) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        report.path("units").forEach(u -> counts.merge(outcome(u), 1, Integer::sum));
        StringJoiner text = new StringJoiner(", ");
        counts.forEach((outcome, n) -> text.add(n + " " + outcome));
        return counts.isEmpty() ? "no secret in scope" : text.toString();
    }

    /** One line per unit ({@code • `db-password` (dev): partial at verify}), in sections within Slack's limit. */
    private static List<String> sections(JsonNode report) {
        List<String> sections = new ArrayList<>();
        StringBuilder section = new StringBuilder();
        for (JsonNode unit : report.path("units")) {
            String environment = unit.path("environment").asText();
            String line = "\u2022 `" + escape(unit.path("secret").asText()) + "`"
                    + (environment.isEmpty() ? "" : " (" + escape(environment) + ")") + ": " + outcome(unit)
                    + (unit.hasNonNull("failedStep") ? " at " + escape(unit.get("failedStep").asText()) : "");
            if (section.length() > 0 && section.length() + 1 + line.length() > SECTION_MAX) {
                sections.add(section.toString());
                section.setLength(0);
            }
            section.append(section.length() == 0 ? "" : "\n").append(line);
        }
        if (section.length() > 0) {
            sections.add(section.toString());
        }
        return sections;
    }

    private static String outcome(JsonNode unit) {
        return unit.path("outcome").asText().replace('_', ' ');
    }

    /** Slack reads {@code &}, {@code <} and {@code >} as markup ({@code <!channel>} would ping everyone). */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
