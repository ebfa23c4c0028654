package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** Plan takes only the manifest options: it writes nothing, so it has no report, audit log or lease to take. */
@Command(name = "plan", description = {
        "Shows what a rotation would write where (names, never values) after checking every store is reachable "
                + "and permitted. Writes nothing.",
        "Example: rotor plan -m rotation.yml -e prod"})
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    Rotor root;
    @Mixin
    ManifestOptions options = new ManifestOptions();

    @Override
    public Integer call() {
        return new Invocation(root.session, options).runEngine("plan", Engine.Mode.DRY_RUN, new RunOptions());
    }
}
