package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Command;

@Command(name = "plan", description = {
        "Shows what a rotation would write where (names, never values) after checking every store is reachable "
                + "and permitted. Writes nothing.",
        "Example: rotor plan -m rotation.yml -e prod"})
final class PlanCommand extends EngineCommand {
    @Override
    String name() {
        return "plan";
    }

    @Override
    Engine.Mode mode() {
        return Engine.Mode.DRY_RUN;
    }
}
