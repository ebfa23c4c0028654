package dev.rotor.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.time.Duration;

/** The options of the commands that write (rotate, rollback, repair); plan has only {@code report}. */
record RunOptions(Path report, Path auditLog, String reason, String runId, String lease) {
    private static final String DEFAULT_LEASE = "15m";

    /** What plan runs with: its report, if any, and nothing that only a write needs. */
    static RunOptions reportOnly(Path report) {
        return new RunOptions(report, null, null, null, DEFAULT_LEASE);
    }

    static CommandSpec addTo(CommandSpec spec) {
        return spec
                .addOption(OptionSpec.builder("--report").paramLabel("FILE").type(Path.class)
                        .description("Write a JSON report (names and versions, never values).").build())
                .addOption(OptionSpec.builder("--audit-log").paramLabel("FILE").type(Path.class)
                        .description("Append one JSON line per rotated secret: time, actor, run URL, targets and "
                                + "versions.").build())
                .addOption(OptionSpec.builder("--reason").paramLabel("TEXT").type(String.class)
                        .description("Why this run happens (a ticket, an incident): recorded in the report and the "
                                + "audit log.").build())
                .addOption(OptionSpec.builder("--run-id").paramLabel("ID").type(String.class)
                        .description("Identifies this run (default: $GITHUB_RUN_ID, else a new id). A re-run with "
                                + "the same id after success writes nothing; after a failure or crash it resumes.")
                        .build())
                .addOption(OptionSpec.builder("--lease").paramLabel("DURATION").type(String.class)
                        .defaultValue(DEFAULT_LEASE)
                        .description("How long a crashed run keeps others out of a secret (default: "
                                + "${DEFAULT-VALUE}).").build());
    }

    static RunOptions of(Arguments arguments) {
        return new RunOptions(arguments.value("--report"), arguments.value("--audit-log"),
                arguments.value("--reason"), arguments.value("--run-id"), arguments.value("--lease"));
    }

    Duration leaseDuration() {
        return dev.rotor.manifest.Durations.parse(lease);
    }
}
