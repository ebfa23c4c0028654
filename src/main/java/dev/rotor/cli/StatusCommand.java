package dev.rotor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rotor.engine.Failures;
import dev.rotor.engine.Unit;
import dev.rotor.engine.UnitStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "status", description = {
        "Shows each secret's age, whether it is due (older than max-age), unfinished rotations, when each target was "
                + "last updated, and readable values that break their generator's policy. Writes nothing.",
        "Exit code 0; 1 when a store cannot be read.",
        "Examples:",
        "  rotor status -m rotation.yml",
        "  rotor status --format prometheus > /var/lib/node_exporter/rotor.prom"})
final class StatusCommand implements Callable<Integer> {
    enum Format { text, json, prometheus }

    @ParentCommand
    Rotor root;
    @Mixin
    ManifestOptions options = new ManifestOptions();

    @Option(names = "--format", defaultValue = "text", description = "text, json or prometheus (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        Invocation invocation = new Invocation(root.session, options);
        if (!invocation.load()) {
            return ExitCodes.INVALID;
        }
        List<Unit> units = invocation.units();
        if (units == null) {
            return ExitCodes.INVALID;
        }
        Instant now = root.session.clock().instant();
        List<UnitStatus> statuses = new ArrayList<>();
        for (Unit unit : units) {
            try {
                statuses.add(UnitStatus.of(unit, now, invocation.console));
            } catch (RuntimeException e) {
                invocation.console.error(unit.describe() + ": " + Failures.describe(e));
                return ExitCodes.FAILED;
            }
        }
        switch (format) {
            case json -> invocation.console.result(json(statuses));
            case prometheus -> invocation.console.result(prometheus(statuses));
            default -> {
                PrintedCommands commands = new PrintedCommands(root.session, options);
                statuses.forEach(s -> invocation.console.result(text(s, commands)));
            }
        }
        return ExitCodes.OK;
    }

    private static String text(UnitStatus s, PrintedCommands commands) {
        StringBuilder line = new StringBuilder(s.secret() + (s.environment().isEmpty() ? "" : " (" + s.environment() + ")")
                + ": " + (s.ageDays() == null ? "never rotated" : String.format(Locale.ROOT, "%.1f days old", s.ageDays()))
                + (s.due() ? ", DUE" : "") + (s.pendingAfterStep() == null ? "" : ", unfinished rotation after step "
                + s.pendingAfterStep() + (s.leaseHolder() == null ? "" : " held by run " + s.leaseHolder()
                + " (if that run is gone)") + "; finish it with: "
                + commands.resume(s.secret(), s.environment(), s.leaseHolder())));
        s.targets().forEach(t -> line.append("\n  ").append(t.target()).append(": ")
                .append(t.updatedAt() == null ? "update time unknown" : "updated " + t.updatedAt()));
        s.policyViolations().forEach(v -> line.append("\n  policy: ").append(v));
        return line.toString();
    }

    /** The Prometheus text format: each metric family once, with HELP and TYPE, then one sample per unit. */
    private static String prometheus(List<UnitStatus> statuses) {
        StringBuilder text = new StringBuilder();
        metric(text, statuses, "secret_age_days", "Days since the secret was last rotated (NaN: never).",
                s -> s.ageDays() == null ? "NaN" : String.format(Locale.ROOT, "%.3f", s.ageDays()));
        metric(text, statuses, "secret_rotation_due", "1 when the secret is older than its max-age.",
                s -> s.due() ? "1" : "0");
        metric(text, statuses, "secret_rotation_pending", "1 when a rotation did not finish (re-run rotate).",
                s -> s.pendingAfterStep() == null ? "0" : "1");
        metric(text, statuses, "secret_policy_violations", "Readable values that break their generator's policy.",
                s -> Integer.toString(s.policyViolations().size()));
        return text.toString().stripTrailing();
    }

    private static void metric(StringBuilder text, List<UnitStatus> statuses, String name, String help,
                               java.util.function.Function<UnitStatus, String> value) {
        text.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n");
        for (UnitStatus s : statuses) {
            text.append(name).append("{secret=\"").append(s.secret()).append("\",environment=\"")
                    .append(s.environment()).append("\"} ").append(value.apply(s)).append('\n');
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
