package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Model.CommandSpec;

final class RepairCommand extends EngineCommand {
    @Override
    public String name() {
        return "repair";
    }

    @Override
    public CommandSpec spec() {
        return specWith("Writes each selected secret's current value, as journaled, to its owner and every copy again, "
                        + "then verifies: the repair of a copy changed outside Rotor (status --drift names them). No new "
                        + "value is generated and the previous value stays as it was.",
                "Example: rotor repair --secret db-password --environment prod");
    }

    @Override
    Engine.Mode mode(Arguments arguments) {
        return Engine.Mode.REPAIR;
    }
}
