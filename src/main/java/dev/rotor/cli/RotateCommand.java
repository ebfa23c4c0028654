package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rotate", description = {
        "Rotates the selected secrets in manifest order: journal a new value, make the owner accept it, test it, "
                + "write it and its derived values to every target, verify, promote. A re-run after a failure or "
                + "crash resumes with the same value.",
        "Examples:",
        "  rotor rotate -m rotation.yml -e dev",
        "  rotor rotate --secret db-password --environment prod --report r.json",
        "  rotor rotate --only-due --audit-log audit.jsonl"})
final class RotateCommand extends EngineCommand {
    @Option(names = "--dry-run", description = "Plan only: check stores and show what would be written; write nothing.")
    boolean dryRun;

    @Option(names = "--only-due", description = "Only secrets older than their max-age (and unfinished rotations).")
    boolean onlyDue;

    @Override
    String name() {
        return "rotate";
    }

    @Override
    Engine.Mode mode() {
        return dryRun ? Engine.Mode.DRY_RUN : onlyDue ? Engine.Mode.ONLY_DUE : Engine.Mode.ROTATE;
    }
}
