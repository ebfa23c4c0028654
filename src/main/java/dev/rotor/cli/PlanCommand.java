package dev.rotor.cli;

import dev.rotor.engine.Engine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;

/**
 * Plan writes nothing, so it takes no audit log, reason, run id or lease: only the manifest options and the JSON
 * report of what would be written.
 */
final class PlanCommand implements RotorCommand {
    @Override
    public String name() {
        return "plan";
    }

    @Override
    public CommandSpec spec() {
        return ManifestOptions.addTo(RotorCommand.spec(name(),
                        "Shows what a rotation would write where (names, never values) after checking every store is "
                                + "reachable and permitted. Writes nothing.",
                        "Example: rotor plan -m rotation.yml -e prod"))
                .addOption(OptionSpec.builder("--report").paramLabel("FILE").type(Path.class)
                        .description("Write the plan as a JSON report (names only).").build());
    }

    @Override
    public int run(Arguments arguments, Session session) {
        return new Invocation(session, ManifestOptions.of(arguments)).runEngine(name(), Engine.Mode.DRY_RUN,
                RunOptions.reportOnly(arguments.value("--report")), Engine.Options.NONE);
    }
}
