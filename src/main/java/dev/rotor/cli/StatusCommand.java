package dev.rotor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rotor.engine.Failures;
import dev.rotor.engine.Unit;
import dev.rotor.engine.UnitStatus;
import dev.rotor.manifest.Plural;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

final class StatusCommand implements RotorCommand {
    enum Format { text, json, prometheus }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public CommandSpec spec() {
        return ManifestOptions.addTo(RotorCommand.spec(name(),
                        "Shows each secret's age, whether it is due (older than max-age), unfinished rotations, when "
                                + "each target was last updated, and readable values that break their generator's "
                                + "policy. Writes nothing.",
                        "With --drift, reads every copy and compares it with what Rotor last wrote (a keyed "
                                + "fingerprint, never the value; write-only stores by update time) and names each copy "
                                + "that disagrees with its repair.",
                        "Exit code 0; 1 when a store cannot be read; 5 with --drift when a copy disagrees.",
                        "Examples:",
                        "  rotor status -m rotation.yml",
                        "  rotor status --drift -m rotation.yml",
                        "      in a scheduled workflow: fails on drift",
                        "  rotor status --format prometheus --label secret=secret_name",
                        "      the metrics with the label names an alert expects"))
                .addOption(OptionSpec.builder("--format").paramLabel("FORMAT").type(Format.class).defaultValue("text")
                        .description("text, json or prometheus (default: ${DEFAULT-VALUE}).").build())
                .addOption(RotorCommand.flag("--drift",
                        "Compare every copy with what Rotor last wrote; exit 5 when one disagrees."))
                .addOption(OptionSpec.builder("--label").paramLabel("FIELD=LABEL").type(Map.class)
                        .auxiliaryTypes(String.class, String.class)
                        .description("Prometheus label names: secret=secret_name, environment=namespace (what an "
                                + "alert's labels use; default secret and environment).").build());
    }

    @Override
    public int run(Arguments arguments, Session session) {
        Map<String, String> labels = arguments.map("--label");
        boolean drift = arguments.flag("--drift");
        for (String field : labels.keySet()) {
            if (!field.equals("secret") && !field.equals("environment")) {
                session.error("--label " + field + "=...: the labels are secret and environment");
                return ExitCodes.INVALID;
            }
            if (!labels.get(field).matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                session.error("--label " + field + "=" + labels.get(field) + ": a Prometheus label "
                        + "name is letters, digits and '_', not starting with a digit");
                return ExitCodes.INVALID;
            }
        }
        ManifestOptions options = ManifestOptions.of(arguments);
        Invocation invocation = new Invocation(session, options);
        if (!invocation.load()) {
            return ExitCodes.INVALID;
        }
        List<Unit> units = invocation.units();
        if (units == null) {
            return ExitCodes.INVALID;
        }
        Instant now = session.clock().instant();
        List<UnitStatus> statuses = new ArrayList<>();
        for (Unit unit : units) {
            try {
                statuses.add(UnitStatus.of(unit, now, invocation.console, drift));
            } catch (RuntimeException e) {
                invocation.console.error(unit.describe() + ": " + Failures.describe(e));
                return ExitCodes.FAILED;
            }
        }
        PrintedCommands commands = new PrintedCommands(session, options);
        switch (arguments.<Format>value("--format")) {
            case json -> invocation.console.result(json(statuses));
            case prometheus -> invocation.console.result(prometheus(statuses, labels, drift));
            default -> statuses.forEach(s -> invocation.console.result(text(s, commands)));
        }
        long drifted = drift ? statuses.stream().mapToLong(s -> s.drift().size()).sum() : 0;
        if (drifted > 0) {
            invocation.console.error("drift: " + Plural.count(drifted, "copy disagrees", "copies disagree")
                    + " with the journal; repair: " + String.join(" ; ", statuses.stream()
                    .filter(s -> !s.drift().isEmpty()).map(s -> commands.repair(s.secret(), s.environment())).toList()));
            return ExitCodes.DRIFT;
        }
        return ExitCodes.OK;
    }

    private static String text(UnitStatus s, PrintedCommands commands) {
        StringBuilder line = new StringBuilder(s.secret() + (s.environment().isEmpty() ? "" : " (" + s.environment() + ")")
                + ": " + (s.ageDays() == null ? "never rotated" : String.format(Locale.ROOT, "%.1f days old", s.ageDays())
                + (s.rotatedAt() == null ? " (never rotated by Rotor)" : ""))
                + (s.due() ? ", DUE" : "") + (s.pendingAfterStep() == null ? "" : ", unfinished rotation after step "
                + s.pendingAfterStep() + (s.leaseHolder() == null ? "" : " held by run " + s.leaseHolder()
                + " (if that run is gone)") + "; finish it with: "
                + commands.resume(s.secret(), s.environment(), s.leaseHolder())));
        s.targets().forEach(t -> line.append("\n  ").append(t.target()).append(": ")
                .append(t.updatedAt() == null ? "update time unknown" : "updated " + t.updatedAt()));
        s.policyViolations().forEach(v -> line.append("\n  policy: ").append(v));
        if (s.drift() != null && !s.drift().isEmpty()) {
            s.drift().forEach(d -> line.append("\n  DRIFT ").append(d.copy()).append(": ").append(d.problem()));
            line.append("\n  repair: ").append(commands.repair(s.secret(), s.environment()));
        } else if (s.drift() != null && s.pendingAfterStep() == null && s.rotatedAt() != null) {
            line.append("\n  no drift: every copy holds what Rotor wrote");
        } else if (s.drift() != null && s.pendingAfterStep() == null && s.rotatedAt() == null) {
            line.append("\n  drift: not checked: Rotor has not rotated it, so it wrote nothing to compare with");
        }
        return line.toString();
    }

    /** The Prometheus text format: each metric family once, with HELP and TYPE, then one sample per unit. */
    private static String prometheus(List<UnitStatus> statuses, Map<String, String> labels, boolean drift) {
        StringBuilder text = new StringBuilder();
        metric(text, statuses, labels, "secret_age_days", "Days since the secret was last rotated (NaN: never).",
                s -> s.ageDays() == null ? "NaN" : String.format(Locale.ROOT, "%.3f", s.ageDays()));
        metric(text, statuses, labels, "secret_rotation_due", "1 when the secret is older than its max-age.",
                s -> s.due() ? "1" : "0");
        metric(text, statuses, labels, "secret_rotation_pending", "1 when a rotation did not finish (re-run rotate).",
                s -> s.pendingAfterStep() == null ? "0" : "1");
        metric(text, statuses, labels, "secret_policy_violations", "Readable values that break their generator's policy.",
                s -> Integer.toString(s.policyViolations().size()));
        if (drift) {
            metric(text, statuses, labels, "secret_drift", "Copies that disagree with what Rotor last wrote (status --drift).",
                    s -> Integer.toString(s.drift().size()));
        }
        return text.toString().stripTrailing();
    }

    private static void metric(StringBuilder text, List<UnitStatus> statuses, Map<String, String> labels, String name,
                               String help,
                        java.util.function.Function<UnitStatus, String> value) {
        text.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n");
        for (UnitStatus s : statuses) {
            text.append(name).append('{').append(labels.getOrDefault("secret", "secret")).append("=\"")
                    .append(s.secret()).append("\",").append(labels.getOrDefault("environment", "environment"))
                    .append("=\"").append(s.environment()).append("\"} ").append(value.apply(s)).append('\n');
        }
    }

    private static String json(List<UnitStatus> statuses) {
        try {
            return new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writerWithDefaultPrettyPrinter()
                    .writeValueAsString(statuses);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("status could not be encoded");
        }
    }
}
