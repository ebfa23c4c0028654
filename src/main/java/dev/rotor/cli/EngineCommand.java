package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** The commands that run the engine over a manifest's units: plan, rotate, rollback. */
abstract class EngineCommand implements Callable<Integer> {
    @ParentCommand
    Rotor root;
    @Mixin
    ManifestOptions options = new ManifestOptions();
    @Mixin
    RunOptions run = new RunOptions();

    /** The command's name, for the report. */
    abstract String name();

    abstract Engine.Mode mode();

    /** Emergency and the downtime probe: only rotate sets them. */
    Engine.Options engineOptions() {
        return Engine.Options.NONE;
    }

    @Override
    public Integer call() {
        return new Invocation(root.session, options).runEngine(name(), mode(), run, engineOptions());
    }
}
