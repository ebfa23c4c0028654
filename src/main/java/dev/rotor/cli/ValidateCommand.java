package dev.rotor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "validate", description = {
        "Checks a manifest's shape and meaning without any network call; every problem is reported with "
                + "file:line:col (in GitHub Actions, as annotations on the pull request).",
        "Example: rotor validate -m rotation.yml"})
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    Rotor root;
    @Mixin
    ManifestOptions options = new ManifestOptions();

    @Override
    public Integer call() {
        Invocation invocation = new Invocation(root.session, options);
        if (!invocation.load()) {
            return ExitCodes.INVALID;
        }
        var m = invocation.manifest;
        invocation.console.result(options.manifest + ": valid (" + Invocation.count(m.secrets().size(), "secret") + ", "
                + Invocation.count(m.stores().size(), "store") + ", "
                + Invocation.count(m.environments().size(), "environment") + ", "
                + Invocation.warningCount(m.warnings()) + ")");
        return ExitCodes.OK;
    }
}
