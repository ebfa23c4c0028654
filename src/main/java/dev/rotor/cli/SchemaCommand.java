package dev.rotor.cli;

import dev.rotor.engine.Vocabularies;
import dev.rotor.manifest.ManifestSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "schema", description = {
        "Prints the JSON Schema of the manifest, made from every registered store type, generator, check and "
                + "strategy (also committed as schema/rotation.schema.json for editors).",
        "Example: rotor schema > rotation.schema.json"})
final class SchemaCommand implements Callable<Integer> {
    @ParentCommand
    Rotor root;

    @Override
    public Integer call() {
        root.session.out().print(ManifestSchema.json(Vocabularies.standard()));
        root.session.out().flush();
        return ExitCodes.OK;
    }
}
