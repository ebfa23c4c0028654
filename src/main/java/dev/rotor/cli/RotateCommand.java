package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rotate", description = {
        "Rotates the selected secrets in manifest order: journal a new value, make the owner accept it, test it, "
                + "write it and its derived values to every target, verify, promote. A re-run after a failure or "
                + "crash resumes with the same value; every unit is checked before anything is written, so a run "
                + "refused by another run's lease (exit 4) changes nothing.",
        "Examples:",
        "  rotor rotate -m rotation.yml -e dev",
        "  rotor rotate --secret db-password --environment prod --report r.json",
        "  rotor rotate --only-due --audit-log audit.jsonl",
        "  rotor rotate --resume --run-id RUN    finish what a dead run RUN left, start nothing new",
        "  rotor rotate --secret jwt-keys --emergency --reason INC-42    a compromised credential: no grace",
        "  rotor rotate --secret db-password --probe    measure the downtime consumers see"})
final class RotateCommand extends EngineCommand {
    @Option(names = "--dry-run", description = "Plan only: check stores and show what would be written; write nothing.")
    boolean dryRun;

    @Option(names = "--only-due", description = "Only secrets older than their max-age (and unfinished rotations).")
    boolean onlyDue;

    @Option(names = "--resume", description = "Only finish unfinished rotations, with their journaled values; start "
            + "no new one. With --run-id of a run that died, take over its lease at once.")
    boolean resume;

    @Option(names = "--emergency", description = "A compromised credential: no grace for any strategy; the old user, "
            + "password or key stops working in this run. Needs --reason.")
    boolean emergency;

    @Option(names = "--probe", arity = "0..1", fallbackValue = "5ms", paramLabel = "INTERVAL",
            description = "Measure downtime: log in to each owner every INTERVAL (default 5ms) with the credential its "
                    + "consumer-facing copies hold, and report failed logins and the longest window without a "
                    + "working one.")
    String probe;

    @Override
    String name() {
        return "rotate";
    }

    @Override
    Engine.Options engineOptions() {
        return new Engine.Options(emergency, probe == null ? null : dev.rotor.manifest.Durations.parse(probe));
    }

    @Override
    Engine.Mode mode() {
        return dryRun ? Engine.Mode.DRY_RUN : resume ? Engine.Mode.RESUME
                : onlyDue ? Engine.Mode.ONLY_DUE : Engine.Mode.ROTATE;
    }

    @Override
    public Integer call() {
        if (resume && (dryRun || onlyDue)) {
            root.session.err().println("error: --resume finishes unfinished rotations only; it takes neither "
                    + "--dry-run nor --only-due");
            return ExitCodes.INVALID;
        }
        if (emergency && (run.reason == null || run.reason.isBlank())) {
            root.session.err().println("error: --emergency needs --reason TEXT (the incident), recorded in the report "
                    + "and the audit log");
            return ExitCodes.INVALID;
        }
        if (emergency && onlyDue) {
            root.session.err().println("error: --emergency rotates now, whatever is due; it does not take --only-due");
            return ExitCodes.INVALID;
        }
        if (probe != null) {
            try {
                dev.rotor.manifest.Durations.parse(probe);
            } catch (IllegalArgumentException e) {
                root.session.err().println("error: --probe " + probe + ": " + e.getMessage());
                return ExitCodes.INVALID;
            }
        }
        return super.call();
    }
}
