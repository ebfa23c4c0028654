package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Model.CommandSpec;

/** The commands that run the engine over a manifest's units and write: rotate, rollback, repair. */
abstract class EngineCommand implements RotorCommand {
    abstract Engine.Mode mode(Arguments arguments);

    /** Emergency and the downtime probe: only rotate sets them. */
    Engine.Options engineOptions(Arguments arguments) {
        return Engine.Options.NONE;
    }

    /** The model with the manifest and run options; {@code description} as {@link RotorCommand#spec}'s. */
    CommandSpec specWith(String... description) {
        return RunOptions.addTo(ManifestOptions.addTo(RotorCommand.spec(name(), description)));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        return new Invocation(session, ManifestOptions.of(arguments))
                .runEngine(name(), mode(arguments), RunOptions.of(arguments), engineOptions(arguments));
    }
}
