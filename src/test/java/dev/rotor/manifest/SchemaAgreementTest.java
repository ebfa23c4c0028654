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
    /** The schema of the test vocabulary (the fake types the test manifests use). */
    private static final Schema SCHEMA = schema(ManifestSchema.json(Fakes.vocabulary(Fakes.PROVIDERS)));
    /** The types `rotor schema` sees in the jar: every registered one but the tests' own (dev.rotor.testing). */
    private static final Vocabulary SHIPPED = shipped();
    /** The schema `rotor schema` prints. */
    private static final String STANDARD = ManifestSchema.json(SHIPPED);

    private static Vocabulary shipped() {
        Vocabulary all = Vocabularies.standard();
        return new Vocabulary(all.storeTypes().stream()
                .filter(t -> !t.getClass().getName().startsWith("dev.rotor.testing.")).toList(), all.generators(),
                all.checkKeys(), all.durationKeys(), all.strategies());
    }

    private static Schema schema(String json) {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(json);
    }
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
        return schemaErrors(SCHEMA, file);
    }

    static List<String> schemaErrors(Schema schema, Path file) {
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
        for (Error error : schema.validate(node)) {
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
            assertEquals(List.of(), schemaErrors(schema(STANDARD), file), file.toString());
        }
        Assumptions.assumeFalse(dev.rotor.store.Providers.types().isEmpty(), "no providers registered yet");
        for (Path file : examples) {
            assertDoesNotThrow(() -> Vocabularies.load(file, Map.of()), file.toString());
        }
    }

    @Test
    void theCommittedSchemaIsWhatRotorSchemaPrints() throws IOException {
        assertEquals(STANDARD, Files.readString(Path.of("schema/rotation.schema.json")),
                "regenerate it: java -jar target/rotor.jar schema > schema/rotation.schema.json");
    }

    @Test
    void theSchemaNamesWhatTheCodeKnows() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(STANDARD);
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
        assertEquals(SHIPPED.storeTypes().stream().map(StoreType::type).collect(java.util.stream.Collectors.toSet()),
                strings(defs.at("/store/properties/type/enum")));
        for (JsonNode rule : defs.at("/store/allOf")) {
            String type = rule.at("/if/properties/type/const").asText();
            dev.rotor.store.Provider provider = dev.rotor.store.Providers.byType(type).orElseThrow();
            Set<String> settings = new HashSet<>(provider.settingKeys());
            settings.add("type");
            assertEquals(settings, names(rule.at("/then/properties")), type);
            for (String key : provider.credentialKeys()) {
                assertEquals("^\\s*\\$\\{\\s*env:[A-Za-z_][A-Za-z0-9_]*\\s*}\\s*$",
                        rule.at("/then/properties/" + key + "/pattern").asText(), type + "." + key);
            }
        }
    }

    @Test
    void aNewTypeIsInTheSchemaWithItsSettingsAndALiteralCredentialFailsIt() throws IOException {
        Fakes.FakeType kubernetes = new Fakes.FakeType("kubernetes", Set.of("namespace", "secret", "token"),
                Set.of("namespace"), Set.of("restart"), Set.of(), true, false, false, false, Set.of("token"), n -> null);
        List<StoreType> types = new ArrayList<>(Fakes.PROVIDERS);
        types.add(kubernetes);
        Schema withKubernetes = schema(ManifestSchema.json(Fakes.vocabulary(types)));
        Path file = Files.createTempFile("k8s", ".yml");
        String manifest = """
                version: 1
                stores:
                  local: { type: files, directory: /tmp/r }
                  k8s: { type: kubernetes, namespace: app, secret: jwt-keys, token: "${env:KUBE_TOKEN}" }
                secrets:
                  a:
                    generate: { type: uuid }
                    targets: [ { store: local, name: a }, { store: k8s, name: active-key, restart: deployment/api } ]
                """;
        Files.writeString(file, manifest);
        assertEquals(List.of(), schemaErrors(withKubernetes, file));
        assertFalse(schemaErrors(SCHEMA, file).isEmpty(), "without the type, the schema refuses it");
        Files.writeString(file, manifest.replace("\"${env:KUBE_TOKEN}\"", "literal-token"));
        assertFalse(schemaErrors(withKubernetes, file).isEmpty(), "a literal credential fails the schema");
        Files.writeString(file, manifest.replace("namespace: app, ", ""));
        assertFalse(schemaErrors(withKubernetes, file).isEmpty(), "a required setting is required by the schema");
        Files.delete(file);
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
