package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Model.CommandSpec;

final class RollbackCommand extends EngineCommand {
    @Override
    public String name() {
        return "rollback";
    }

    @Override
    public CommandSpec spec() {
        return specWith("Puts the previous value back everywhere (owner, every target), verifies it, and makes it "
                        + "current. After a rotation that did not finish, it restores the current value and drops the "
                        + "pending one.",
                "Example: rotor rollback --secret postgres-admin-password --environment prod");
    }

    @Override
    Engine.Mode mode(Arguments arguments) {
        return Engine.Mode.ROLLBACK;
    }

    @Override
    public int run(Arguments arguments, Session session) {
        if (arguments.list("--secret").isEmpty()) {
            session.error("rollback needs --secret NAME (a rollback is always deliberate)");
            return ExitCodes.INVALID;
        }
        return super.run(arguments, session);
    }
}
