package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Command;

@Command(name = "rollback", description = {
        "Puts the previous value back everywhere (owner, every target), verifies it, and makes it current. "
                + "After a rotation that did not finish, it restores the current value and drops the pending one.",
        "Example: rotor rollback --secret postgres-admin-password --environment prod"})
final class RollbackCommand extends EngineCommand {
    @Override
    String name() {
        return "rollback";
    }

    @Override
    Engine.Mode mode() {
        return Engine.Mode.ROLLBACK;
    }

    @Override
    public Integer call() {
        if (options.secrets.isEmpty()) {
            root.session.err().println("error: rollback needs --secret NAME (a rollback is always deliberate)");
            return ExitCodes.INVALID;
        }
        return super.call();
    }
}
