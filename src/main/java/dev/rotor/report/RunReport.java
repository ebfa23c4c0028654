package dev.rotor.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.engine.Outcome;
import dev.rotor.engine.TargetResult;
import dev.rotor.engine.UnitResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The results of one run in the forms users read them: the JSON report ({@code --report}), the audit log line per
 * rotated unit ({@code --audit-log}, the runbooks' security changelog), the Markdown step summary and the action's
 * outputs. All carry names and version ids, never values; every text still passes through the masker.
 */
public final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** The outcomes that changed, or may have changed, a system. */
    private static final Set<Outcome> AUDITED = EnumSet.of(Outcome.ROTATED, Outcome.ROLLED_BACK, Outcome.PARTIAL);

    private final String command;
    private final String runId;
    private final String reason;
    private final boolean emergency;
    private final Instant started;
    private final List<UnitResult> units;
    private final int exitCode;
    private final long resends;
    private final Masker masker;

    /**
     * @param reason    why the run happened (a ticket, an incident), or null
     * @param emergency an emergency rotation (no grace)
     * @param resends   requests the stores sent again during the run (transient failures, rate limits)
     */
    public RunReport(String command, String runId, String reason, boolean emergency, Instant started,
                     List<UnitResult> units, int exitCode, long resends, Masker masker) {
        this.command = command;
        this.runId = runId;
        this.reason = reason;
        this.emergency = emergency;
        this.started = started;
        this.units = units;
        this.exitCode = exitCode;
        this.resends = resends;
        this.masker = masker;
    }

    public long rotatedCount() {
        return units.stream().filter(u -> u.outcome() == Outcome.ROTATED).count();
    }

    public String json(Instant finished) {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", command).put("runId", runId).put("startedAt", started.toString())
                .put("finishedAt", finished.toString()).put("exitCode", exitCode).put("resends", resends);
        putIfSet(root, "reason", reason);
        if (emergency) {
            root.put("emergency", true);
        }
        ArrayNode list = root.putArray("units");
        for (UnitResult u : units) {
            ObjectNode node = list.addObject();
            node.put("secret", u.secret()).put("environment", u.environment()).put("outcome",
                    u.outcome().name().toLowerCase());
            if (u.failedStep() != null) {
                node.put("failedStep", u.failedStep().label());
            }
            putIfSet(node, "message", u.message());
            putIfSet(node, "finishCommand", u.finishCommand());
            putIfSet(node, "rollbackCommand", u.rollbackCommand());
            targets(node.putArray("targets"), u.targets());
            if (!u.notes().isEmpty()) {
                node.set("notes", JSON.valueToTree(u.notes()));
            }
            probe(node, u);
        }
        return masker.redact(root.toPrettyString());
    }

    /** One JSON line per unit that changed anything: who, where from, what, the versions; never a value. */
    public void appendAudit(Path file, Map<String, String> env, Instant now) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (UnitResult u : units) {
            if (!AUDITED.contains(u.outcome())) {
                continue;
            }
            ObjectNode line = JSON.createObjectNode();
            line.put("time", now.toString()).put("actor", env.getOrDefault("GITHUB_ACTOR",
                    env.getOrDefault("USER", "unknown"))).put("runId", runId);
            runUrl(env).ifPresent(url -> line.put("runUrl", url));
            line.put("command", command).put("secret", u.secret()).put("environment", u.environment())
                    .put("outcome", u.outcome().name().toLowerCase());
            putIfSet(line, "reason", reason);
            if (emergency) {
                line.put("emergency", true);
            }
            targets(line.putArray("targets"), u.targets());
            probe(line, u);
            lines.append(masker.redact(line.toString())).append('\n');
        }
        if (lines.length() > 0) {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** The GitHub Actions run this process runs in, from the runner's variables; empty outside Actions. */
    public static Optional<String> runUrl(Map<String, String> env) {
        return runUrl(env, env.get("GITHUB_RUN_ID"));
    }

    /** The page of workflow run {@code runId} of this repository (another run's, holding a lease); empty outside Actions. */
    public static Optional<String> runUrl(Map<String, String> env, String runId) {
        if (runId == null || !env.containsKey("GITHUB_REPOSITORY")) {
            return Optional.empty();
        }
        return Optional.of(env.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/"
                + env.get("GITHUB_REPOSITORY") + "/actions/runs/" + runId);
    }

    /** The Markdown table for {@code $GITHUB_STEP_SUMMARY}. */
    public String stepSummary() {
        boolean probed = units.stream().anyMatch(u -> u.probe() != null);
        StringBuilder md = new StringBuilder("### Rotor " + command + (emergency ? " (emergency)" : "") + "\n\n"
                + (reason == null ? "" : "Reason: " + reason.replace("\n", " ") + "\n\n")
                + "| secret | environment | outcome | targets | " + (probed ? "failed logins | longest window without a "
                + "working credential | " : "") + "note |\n" + "|---|---|---|---|" + (probed ? "---|---|" : "") + "---|\n");
        for (UnitResult u : units) {
            long written = u.targets().stream().filter(t -> t.status().equals("written") || t.status().equals("unchanged"))
                    .count();
            md.append("| ").append(u.secret()).append(" | ").append(u.environment().isEmpty() ? "-" : u.environment())
                    .append(" | ").append(u.outcome().label()).append(" | ")
                    // a plan writes nothing: "0/2" would read as two copies behind
                    .append(u.outcome() == Outcome.PLANNED ? u.targets().size() + " to write"
                            : written + "/" + u.targets().size()).append(" | ");
            if (probed) {
                md.append(u.probe() == null ? "- | - | " : u.probe().unmeasurable() != null ? "not measured | - | "
                        : u.probe().failed() + " of " + u.probe().logins() + " | " + u.probe().longestGapMillis() + " ms | ");
            }
            md.append(u.message() == null ? "" : u.message().replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        return masker.redact(md.toString());
    }

    private static void targets(ArrayNode array, List<TargetResult> targets) {
        for (TargetResult t : targets) {
            ObjectNode node = array.addObject();
            node.put("store", t.store()).put("name", t.name()).put("status", t.status());
            if (!t.scope().isEmpty()) {
                node.set("scope", JSON.valueToTree(t.scope()));
            }
            putIfSet(node, "version", t.version());
            if (!t.destinationsWritten().isEmpty() || !t.destinationsBehind().isEmpty()) {
                node.set("destinationsWritten", JSON.valueToTree(t.destinationsWritten()));
                node.set("destinationsBehind", JSON.valueToTree(t.destinationsBehind()));
            }
        }
    }

    private static void probe(ObjectNode node, UnitResult u) {
        if (u.probe() != null) {
            ObjectNode probe = node.putObject("probe");
            probe.put("logins", u.probe().logins()).put("failed", u.probe().failed())
                    .put("longestGapMillis", u.probe().longestGapMillis());
            putIfSet(probe, "unmeasurable", u.probe().unmeasurable());
        }
    }

    private static void putIfSet(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }
}
