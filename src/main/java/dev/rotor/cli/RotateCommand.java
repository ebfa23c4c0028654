package dev.rotor.cli;

import dev.rotor.engine.Engine;
import dev.rotor.manifest.Durations;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

final class RotateCommand extends EngineCommand {
    @Override
    public String name() {
        return "rotate";
    }

    @Override
    public CommandSpec spec() {
        return specWith("Rotates the selected secrets in manifest order: journal a new value, make the owner accept "
                        + "it, test it, write it and its derived values to every target, verify, promote. A re-run "
                        + "after a failure or crash resumes with the same value; every unit is checked before anything "
                        + "is written, so a run refused by another run's lease (exit 4) changes nothing.",
                "Examples:",
                "  rotor rotate -m rotation.yml -e dev",
                "  rotor rotate --secret db-password --environment prod --report r.json",
                "  rotor rotate --only-due --audit-log audit.jsonl",
                "  rotor rotate --resume --run-id RUN",
                "      finish what a dead run RUN left, start nothing new",
                "  rotor rotate --secret jwt-keys --emergency --reason INC-42",
                "      a compromised credential: no grace",
                "  rotor rotate --secret db-password --probe",
                "      measure the downtime consumers see")
                .addOption(RotorCommand.flag("--dry-run",
                        "Plan only: check stores and show what would be written; write nothing."))
                .addOption(RotorCommand.flag("--only-due",
                        "Only secrets older than their max-age (and unfinished rotations)."))
                .addOption(RotorCommand.flag("--resume", "Only finish unfinished rotations, with their journaled "
                        + "values; start no new one. With --run-id of a run that died, take over its lease at once."))
                .addOption(RotorCommand.flag("--emergency", "A compromised credential: no grace for any strategy; "
                        + "the old user, password or key stops working in this run. Needs --reason."))
                .addOption(OptionSpec.builder("--probe").arity("0..1").fallbackValue("5ms").paramLabel("INTERVAL")
                        .type(String.class)
                        .description("Measure downtime: log in to each owner every INTERVAL (default 5ms) with the "
                                + "credential its consumer-facing copies hold, and report failed logins and the "
                                + "longest window without a working one.").build());
    }

    @Override
    Engine.Options engineOptions(Arguments arguments) {
        String probe = arguments.value("--probe");
        return new Engine.Options(arguments.flag("--emergency"), probe == null ? null : Durations.parse(probe));
    }

    @Override
    Engine.Mode mode(Arguments arguments) {
        return arguments.flag("--dry-run") ? Engine.Mode.DRY_RUN : arguments.flag("--resume") ? Engine.Mode.RESUME
                : arguments.flag("--only-due") ? Engine.Mode.ONLY_DUE : Engine.Mode.ROTATE;
    }

    @Override
    public int run(Arguments arguments, Session session) {
        boolean emergency = arguments.flag("--emergency");
        boolean onlyDue = arguments.flag("--only-due");
        String reason = arguments.value("--reason");
        String probe = arguments.value("--probe");
        if (arguments.flag("--resume") && (arguments.flag("--dry-run") || onlyDue)) {
            session.error("--resume finishes unfinished rotations only; it takes neither "
                    + "--dry-run nor --only-due");
            return ExitCodes.INVALID;
        }
        if (emergency && (reason == null || reason.isBlank())) {
            session.error("--emergency needs --reason TEXT (the incident), recorded in the report "
                    + "and the audit log");
            return ExitCodes.INVALID;
        }
        if (emergency && onlyDue) {
            session.error("--emergency rotates now, whatever is due; it does not take --only-due");
            return ExitCodes.INVALID;
        }
        if (probe != null && !validDuration("--probe", probe, session)) {
            return ExitCodes.INVALID;
        }
        return super.run(arguments, session);
    }
}
