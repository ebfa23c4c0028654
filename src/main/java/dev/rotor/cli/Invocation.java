package dev.rotor.cli;

import dev.rotor.engine.Vocabularies;
import dev.rotor.engine.Engine;
import dev.rotor.engine.Outcome;
import dev.rotor.engine.Planner;
import dev.rotor.engine.Unit;
import dev.rotor.engine.UnitResult;
import dev.rotor.manifest.Manifest;
import dev.rotor.manifest.ManifestException;
import dev.rotor.manifest.ManifestLoader;
import dev.rotor.manifest.Plural;
import dev.rotor.manifest.Problem;
import dev.rotor.notify.Notifier;
import dev.rotor.report.Console;
import dev.rotor.report.RunReport;
import dev.rotor.store.ProviderContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/** The work shared by the manifest commands: load and validate, plan units, run the engine, report. */
final class Invocation {
    final Session session;
    final Console console;
    final ManifestOptions options;
    private final ProviderContext.Resends resends = new ProviderContext.Resends();
    Manifest manifest;

    Invocation(Session session, ManifestOptions options) {
        this.session = session;
        this.options = options;
        this.console = new Console(session.out(), session.err(), session.inActions());
    }

    /** Loads the manifest, printing every problem; false when it is invalid (exit 2). */
    boolean load() {
        try {
            manifest = Vocabularies.load(options.manifest(), session.environment());
            manifest.warnings().forEach(console::problem);
            return true;
        } catch (ManifestException e) {
            e.problems().forEach(console::problem);
            long errors = e.problems().stream().filter(p -> !p.warning()).count();
            console.error(options.manifest() + ": " + Plural.count(errors, "error")
                    + "; nothing was written");
            return false;
        }
    }

    /** Plans the selected units; null (after printing why) when one cannot be resolved. */
    List<Unit> units() {
        ProviderContext context = new ProviderContext(session.environment(),
                options.manifest().toAbsolutePath().getParent(), session.clock(), console::progress, resends);
        try {
            return new Planner(manifest, context, new SecureRandom())
                    .units(new LinkedHashSet<>(options.secrets()), options.environment());
        } catch (Planner.PlanException e) {
            console.error(e.getMessage() + "; nothing was written");
            return null;
        }
    }

    String runId(RunOptions run) {
        if (run.runId() != null) {
            return run.runId();
        }
        String github = session.environment().get("GITHUB_RUN_ID");
        return github != null ? github : UUID.randomUUID().toString();
    }

    /** Plans and runs the engine in {@code mode}, then writes every report; returns the exit code. */
    int runEngine(String command, Engine.Mode mode, RunOptions run, Engine.Options engineOptions) {
        if (!load()) {
            return ExitCodes.INVALID;
        }
        List<Unit> units = units();
        if (units == null) {
            return ExitCodes.INVALID;
        }
        String runId = runId(run);
        Instant started = session.clock().instant();
        Engine engine = new Engine(console, session.clock(), runId, run.leaseDuration(), session.hook(),
                new PrintedCommands(session, options), engineOptions);
        List<UnitResult> results = engine.run(units, mode);
        int exit = Outcome.exitCode(results);
        RunReport report = new RunReport(command, runId, run.reason(), engineOptions.emergency(), started, results, exit,
                resends.count(), console.masker());
        for (UnitResult r : results) {
            if (r.message() != null && r.outcome().exitCode() != 0) {
                console.error(describe(r) + ": " + r.message());
            }
        }
        if (mode != Engine.Mode.DRY_RUN) {
            // The results of the run: stdout, as the README says (progress went to stderr).
            results.forEach(r -> console.result(describe(r) + ": " + r.outcome().label()
                    + targetCounts(r) + r.notes().stream().map(n -> "; " + n).reduce("", String::concat)
                    + (r.probe() == null ? "" : "; probe: " + r.probe().describe())));
        }
        console.result(summaryLine(results));
        writeReports(report, run);
        if (mode != Engine.Mode.DRY_RUN) {
            // After every report: a webhook that hangs must not delay them, and it never changes the exit code.
            new Notifier(manifest, session.environment(), console.masker(), console::progress, console::warning)
                    .send(report, session.clock().instant());
        }
        return exit;
    }

    private static String describe(UnitResult r) {
        return r.secret() + (r.environment().isEmpty() ? "" : " (" + r.environment() + ")");
    }

    /** {@code ; targets: 3 written, 1 unchanged}: how far the unit's targets got. */
    private static String targetCounts(UnitResult r) {
        if (r.targets().isEmpty()) {
            return "";
        }
        java.util.Map<String, Long> byStatus = new java.util.TreeMap<>();
        r.targets().forEach(t -> byStatus.merge(t.status(), 1L, Long::sum));
        java.util.StringJoiner text = new java.util.StringJoiner(", ", "; targets: ", "");
        byStatus.forEach((status, n) -> text.add(n + " " + status));
        return text.toString();
    }

    private static String summaryLine(List<UnitResult> results) {
        StringBuilder line = new StringBuilder("summary:");
        for (Outcome o : Outcome.values()) {
            long n = results.stream().filter(r -> r.outcome() == o).count();
            if (n > 0) {
                line.append(' ').append(o.label()).append(' ').append(n);
            }
        }
        return line.toString();
    }

    private void writeReports(RunReport report, RunOptions run) {
        Instant now = session.clock().instant();
        try {
            if (run.report() != null) {
                Files.writeString(run.report(), report.json(now), StandardCharsets.UTF_8);
                console.progress("report: " + run.report());
            }
            if (run.auditLog() != null) {
                report.appendAudit(run.auditLog(), session.environment(), now);
            }
            appendTo(session.environment().get("GITHUB_STEP_SUMMARY"), report.stepSummary());
            appendTo(session.environment().get("GITHUB_OUTPUT"), "rotated=" + report.rotatedCount() + "\n"
                    + (run.report() == null ? "" : "report=" + run.report() + "\n"));
        } catch (IOException e) {
            console.error("could not write a report (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void appendTo(String file, String text) throws IOException {
        if (file != null && !file.isEmpty()) {
            Files.writeString(Path.of(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }
}
