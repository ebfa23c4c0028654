package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Command;

@Command(name = "repair", description = {
        "Writes each selected secret's current value, as journaled, to its owner and every copy again, then verifies: "
                + "the repair of a copy changed outside Rotor (status --drift names them). No new value is generated "
                + "and the previous value stays as it was.",
        "Example: rotor repair --secret db-password --environment prod"})
final class RepairCommand extends EngineCommand {
    @Override
    String name() {
        return "repair";
    }

    @Override
    Engine.Mode mode() {
        return Engine.Mode.REPAIR;
    }
}
