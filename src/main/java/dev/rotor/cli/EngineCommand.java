package dev.rotor.cli;

import dev.rotor.engine.Engine;
import dev.rotor.manifest.Durations;
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
        if (!validDuration("--lease", arguments.value("--lease"), session)) {
            return ExitCodes.INVALID;
        }
        String runId = arguments.value("--run-id");
        // The id is journaled as the lease holder and printed in --resume commands: it must be one visible word.
        if (runId != null && (runId.isEmpty() || !runId.chars().allMatch(c -> c > ' ' && c < 127))) {
            session.error("--run-id must be letters, digits and punctuation without spaces "
                    + "(e.g. the id a run printed first: run <id>); nothing was written");
            return ExitCodes.INVALID;
        }
        return new Invocation(session, ManifestOptions.of(arguments))
                .runEngine(name(), mode(arguments), RunOptions.of(arguments), engineOptions(arguments));
    }

    /** False, after saying why, when {@code text} given to {@code option} is not a positive duration. */
    static boolean validDuration(String option, String text, Session session) {
        try {
            Durations.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            session.error(option + " " + text + ": " + e.getMessage() + "; nothing was written");
            return false;
        }
    }
}
