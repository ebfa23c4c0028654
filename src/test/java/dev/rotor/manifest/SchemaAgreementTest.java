package dev.rotor.manifest;

import dev.rotor.engine.Vocabularies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.rotor.engine.Strategies;
import dev.rotor.generate.Generators;
import dev.rotor.verify.Checks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON Schema and the loader agree: valid manifests pass both, faults of shape fail both. */
class SchemaAgreementTest {
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(ManifestSchema.json());
    private static final YAMLMapper YAML = new YAMLMapper();

    static List<Path> validManifests() throws IOException {
        try (Stream<Path> files = Files.list(Fakes.manifests().resolve("valid"))) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    static List<Path> exampleManifests() throws IOException {
        Path examples = Path.of("examples");
        if (!Files.isDirectory(examples)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(examples)) {
            return files.filter(p -> p.getFileName().toString().equals("rotation.yml")).sorted().toList();
        }
    }

    static List<Path> shapeFaults() throws IOException {
        Path invalid = Fakes.manifests().resolve("invalid");
        return Files.readAllLines(invalid.resolve("schema-rejects.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(invalid::resolve).toList();
    }

    /** Schema errors of a YAML file; a file YAML cannot read counts as one error. */
    static List<String> schemaErrors(Path file) {
        JsonNode node;
        try {
            node = YAML.readTree(file.toFile());
        } catch (IOException e) {
            return List.of("not YAML");
        }
        if (node == null || node.isMissingNode()) {
            return List.of("empty");
        }
        List<String> errors = new ArrayList<>();
        for (Error error : SCHEMA.validate(node)) {
            errors.add(error.toString());
        }
        return errors;
    }

    @ParameterizedTest
    @MethodSource("validManifests")
    void validManifestsPassBoth(Path file) {
        assertEquals(List.of(), schemaErrors(file));
        assertDoesNotThrow(() -> Fakes.LOADER.read(file, Map.of()));
    }

    @ParameterizedTest
    @MethodSource("shapeFaults")
    void faultsOfShapeFailBoth(Path file) {
        assertFalse(schemaErrors(file).isEmpty(), "the schema accepts " + file);
        assertThrows(ManifestException.class, () -> Fakes.LOADER.read(file, Map.of()));
    }

    @Test
    void examplesOfTheRepositoryPassBoth() throws IOException {
        List<Path> examples = exampleManifests();
        Assumptions.assumeFalse(examples.isEmpty(), "no examples/**/rotation.yml yet");
        for (Path file : examples) {
            assertEquals(List.of(), schemaErrors(file), file.toString());
        }
        Assumptions.assumeFalse(dev.rotor.store.Providers.types().isEmpty(), "no providers registered yet");
        for (Path file : examples) {
            assertDoesNotThrow(() -> Vocabularies.load(file, Map.of()), file.toString());
        }
    }

    @Test
    void theCommittedSchemaIsTheOneInTheJar() throws IOException {
        assertEquals(Files.readString(Path.of("schema/rotation.schema.json")), ManifestSchema.json());
    }

    @Test
    void theSchemaNamesWhatTheCodeKnows() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(ManifestSchema.json());
        JsonNode defs = schema.get("$defs");
        assertEquals(Generators.TYPES, strings(defs.at("/secret/properties/generate/properties/type/enum")));
        assertEquals(Strategies.NAMES, strings(defs.at("/secret/properties/strategy/enum")));
        assertEquals(ManifestReader.SECRET_KEYS, names(defs.at("/secret/properties")));
        assertEquals(ManifestReader.TOP_KEYS, names(schema.get("properties")));
        assertEquals(ManifestReader.NAME.pattern(), defs.at("/name/pattern").asText().replaceAll("^\\^|\\$$", ""));
        JsonNode checks = defs.at("/check/oneOf");
        assertEquals(Checks.KEYS.size(), checks.size());
        for (JsonNode check : checks) {
            String type = check.get("required").get(0).asText();
            assertEquals(Checks.KEYS.get(type), names(check.get("properties")), type);
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText()));
        assertTrue(!out.isEmpty());
        return out;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new HashSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
