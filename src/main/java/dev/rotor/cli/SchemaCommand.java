package dev.rotor.cli;

import dev.rotor.engine.Vocabularies;
import dev.rotor.manifest.ManifestSchema;
import picocli.CommandLine.Model.CommandSpec;

final class SchemaCommand implements RotorCommand {
    @Override
    public String name() {
        return "schema";
    }

    @Override
    public CommandSpec spec() {
        return RotorCommand.spec(name(),
                "Prints the JSON Schema of the manifest, made from every registered store type, generator, check and "
                        + "strategy (also committed as schema/rotation.schema.json for editors).",
                "Example: rotor schema > rotation.schema.json");
    }

    @Override
    public int run(Arguments arguments, Session session) {
        session.out().print(ManifestSchema.json(Vocabularies.standard()));
        session.out().flush();
        return ExitCodes.OK;
    }
}
