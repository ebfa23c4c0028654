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
        "  rotor rotate --resume --run-id RUN    finish what a dead run RUN left, start nothing new"})
final class RotateCommand extends EngineCommand {
    @Option(names = "--dry-run", description = "Plan only: check stores and show what would be written; write nothing.")
    boolean dryRun;

    @Option(names = "--only-due", description = "Only secrets older than their max-age (and unfinished rotations).")
    boolean onlyDue;

    @Option(names = "--resume", description = "Only finish unfinished rotations, with their journaled values; start "
            + "no new one. With --run-id of a run that died, take over its lease at once.")
    boolean resume;

    @Override
    String name() {
        return "rotate";
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
        return super.call();
    }
}
