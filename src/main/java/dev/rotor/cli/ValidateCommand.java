package dev.rotor.cli;

import dev.rotor.manifest.Plural;
import picocli.CommandLine.Model.CommandSpec;

final class ValidateCommand implements RotorCommand {
    @Override
    public String name() {
        return "validate";
    }

    @Override
    public CommandSpec spec() {
        return ManifestOptions.addTo(RotorCommand.spec(name(),
                "Checks a manifest's shape and meaning without any network call; every problem is reported with "
                        + "file:line:col (in GitHub Actions, as annotations on the pull request).",
                "Example: rotor validate -m rotation.yml"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        ManifestOptions options = ManifestOptions.of(arguments);
        Invocation invocation = new Invocation(session, options);
        if (!invocation.load()) {
            return ExitCodes.INVALID;
        }
        var m = invocation.manifest;
        invocation.console.result(options.manifest() + ": valid (" + Plural.count(m.secrets().size(), "secret")
                + ", " + Plural.count(m.stores().size(), "store") + ", "
                + Plural.count(m.environments().size(), "environment") + ", "
                + Plural.count(m.warnings().size(), "warning") + ")");
        return ExitCodes.OK;
    }
}
