package dev.rotor.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.List;

/** The options every manifest command shares. */
record ManifestOptions(Path manifest, String environment, List<String> secrets) {
    static CommandSpec addTo(CommandSpec spec) {
        return spec
                .addOption(OptionSpec.builder("-m", "--manifest").paramLabel("FILE").type(Path.class)
                        .defaultValue("rotation.yml").description("The rotation manifest (default: ${DEFAULT-VALUE}).")
                        .build())
                .addOption(OptionSpec.builder("-e", "--environment").paramLabel("NAME").type(String.class)
                        .description("Run one environment of the manifest (default: all, in manifest order).").build())
                .addOption(OptionSpec.builder("-s", "--secret").paramLabel("NAME").type(List.class)
                        .auxiliaryTypes(String.class)
                        .description("Only this secret; repeat for more (default: all, in manifest order).").build());
    }

    static ManifestOptions of(Arguments arguments) {
        return new ManifestOptions(arguments.value("--manifest"), arguments.value("--environment"),
                arguments.list("--secret"));
    }
}
