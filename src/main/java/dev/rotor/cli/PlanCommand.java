package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Plan writes nothing, so it takes no audit log, reason, run id or lease: only the manifest options and the JSON
 * report of what would be written.
 */
@Command(name = "plan", description = {
        "Shows what a rotation would write where (names, never values) after checking every store is reachable "
                + "and permitted. Writes nothing.",
        "Example: rotor plan -m rotation.yml -e prod"})
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    Rotor root;
    @Mixin
    ManifestOptions options = new ManifestOptions();

    @Option(names = "--report", paramLabel = "FILE", description = "Write the plan as a JSON report (names only).")
    Path report;

    @Override
    public Integer call() {
        RunOptions run = new RunOptions();
        run.report = report;
        return new Invocation(root.session, options).runEngine("plan", Engine.Mode.DRY_RUN, run, Engine.Options.NONE);
    }
}
