package dev.rotor.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The options of the commands that write (rotate, rollback). */
final class RunOptions {
    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report (names and versions, never values).")
    Path report;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Append one JSON line per rotated secret: time, actor, run URL, targets and versions.")
    Path auditLog;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why this run happens (a ticket, an incident): recorded in the report and the audit log.")
    String reason;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Identifies this run (default: $GITHUB_RUN_ID, else a new id). A re-run with the same id "
                    + "after success writes nothing; after a failure or crash it resumes.")
    String runId;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "15m",
            description = "How long a crashed run keeps others out of a secret (default: ${DEFAULT-VALUE}).")
    String lease = "15m";

    Duration leaseDuration() {
        return dev.rotor.manifest.Durations.parse(lease);
    }
}
