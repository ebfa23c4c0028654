package dev.rotor.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options every manifest command shares. */
final class ManifestOptions {
    @Option(names = {"-m", "--manifest"}, paramLabel = "FILE", defaultValue = "rotation.yml",
            description = "The rotation manifest (default: ${DEFAULT-VALUE}).")
    Path manifest;

    @Option(names = {"-e", "--environment"}, paramLabel = "NAME",
            description = "Run one environment of the manifest (default: all, in manifest order).")
    String environment;

    @Option(names = {"-s", "--secret"}, paramLabel = "NAME",
            description = "Only this secret; repeat for more (default: all, in manifest order).")
    List<String> secrets = new ArrayList<>();
}
