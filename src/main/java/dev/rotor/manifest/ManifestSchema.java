package dev.rotor.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON Schema (draft 2020-12) of {@code rotation.yml}: the manifest's own shape (a resource beside this class),
 * completed from a {@link Vocabulary}: each store type with its settings (credentials as {@code ${env:NAME}}), each
 * generator with its options, the check types with their keys, the strategies, and the keys targets and owners
 * may carry. Adding a type to the vocabulary updates the schema; {@code rotor validate} also checks meaning.
 */
public final class ManifestSchema {
    static final String BASE = "rotation.schema.base.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENV_REFERENCE = "^\\s*\\$\\{\\s*env:[A-Za-z_][A-Za-z0-9_]*\\s*}\\s*$";

    private ManifestSchema() {
    }

    /** The schema text for this vocabulary, two-space indented, one array item a line, ending in a newline. */
    public static String json(Vocabulary vocabulary) {
        ObjectNode schema = base();
        ObjectNode defs = (ObjectNode) schema.get("$defs");
        defs.set("store", store(vocabulary.storeTypes()));
        ObjectNode secret = (ObjectNode) defs.get("secret").get("properties");
        secret.set("generate", generate(vocabulary.generators()));
        ((ObjectNode) secret.get("strategy")).set("enum", strings(new TreeSet<>(vocabulary.strategies())));
        ((ObjectNode) secret.get("owner")).set("propertyNames", names("store",
                union(vocabulary.storeTypes().stream().map(StoreType::ownerKeys).toList())));
        ((ObjectNode) defs.get("target")).set("propertyNames", names("store", "name", "value", "slot",
                union(vocabulary.storeTypes().stream().map(StoreType::targetKeys).toList())));
        defs.set("check", checks(vocabulary.checkKeys(), vocabulary.durationKeys()));
        DefaultIndenter lines = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)).withArrayIndenter(lines).withObjectIndenter(lines);
        try {
            return JSON.writer(printer).writeValueAsString(schema) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the manifest schema could not be written", e);
        }
    }

    private static ObjectNode base() {
        try (InputStream in = ManifestSchema.class.getResourceAsStream(BASE)) {
            if (in == null) {
                throw new IllegalStateException("the manifest schema is missing from the jar");
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A store: {@code type} is one of the types, and each type allows exactly its own settings. */
    private static ObjectNode store(List<? extends StoreType> types) {
        ObjectNode store = JSON.createObjectNode().put("type", "object");
        store.set("required", strings(List.of("type")));
        store.put("description", "A connection: `type` picks the provider, every other key is one of its settings; "
                + "credentials are `${env:NAME}` references.");
        ObjectNode type = JSON.createObjectNode();
        type.set("enum", strings(types.stream().map(StoreType::type).sorted().toList()));
        store.set("properties", JSON.createObjectNode().set("type", type));
        ArrayNode each = JSON.createArrayNode();
        for (StoreType t : types.stream().sorted(java.util.Comparator.comparing(StoreType::type)).toList()) {
            ObjectNode settings = JSON.createObjectNode();
            settings.set("type", JSON.createObjectNode());
            for (String key : new TreeSet<>(t.settingKeys())) {
                settings.set(key, t.credentialKeys().contains(key)
                        ? JSON.createObjectNode().put("type", "string").put("pattern", ENV_REFERENCE)
                        .put("description", "a credential: an ${env:NAME} reference, never a literal")
                        : JSON.createObjectNode());
            }
            ObjectNode then = JSON.createObjectNode();
            then.set("properties", settings);
            if (!t.requiredSettingKeys().isEmpty()) {
                then.set("required", strings(new TreeSet<>(t.requiredSettingKeys())));
            }
            then.put("additionalProperties", false);
            each.add(when("type", t.type(), then));
        }
        store.set("allOf", each);
        return store;
    }

    /** {@code generate}: a type, and each type's options. */
    private static ObjectNode generate(GeneratorTypes generators) {
        ObjectNode generate = JSON.createObjectNode().put("type", "object");
        generate.set("required", strings(List.of("type")));
        generate.put("description", "How a new value is made; the other keys are the generator's options.");
        ObjectNode type = JSON.createObjectNode();
        type.set("enum", strings(generators.types().stream().sorted().toList()));
        generate.set("properties", JSON.createObjectNode().set("type", type));
        ArrayNode each = JSON.createArrayNode();
        for (String name : generators.types().stream().sorted().toList()) {
            ObjectNode options = JSON.createObjectNode();
            options.set("type", JSON.createObjectNode());
            List<String> required = new java.util.ArrayList<>();
            for (OptionInfo option : generators.options(name)) {
                options.set(option.key(), option(option));
                if (option.required()) {
                    required.add(option.key());
                }
            }
            ObjectNode then = JSON.createObjectNode();
            then.set("properties", options);
            if (!required.isEmpty()) {
                then.set("required", strings(required));
            }
            then.put("additionalProperties", false);
            each.add(when("type", name, then));
        }
        generate.set("allOf", each);
        return generate;
    }

    /** An option's shape; choices are matched case-insensitively by the loader, so they are described, not enforced. */
    private static ObjectNode option(OptionInfo option) {
        ObjectNode node = JSON.createObjectNode();
        switch (option.kind()) {
            case "integer" -> {
                node.set("type", strings(List.of("integer", "string")));
                if (option.minimum() != null) {
                    node.put("minimum", option.minimum());
                }
                if (option.maximum() != null) {
                    node.put("maximum", option.maximum());
                }
            }
            case "list" -> node.set("type", strings(List.of("array", "string")));
            default -> node.set("type", strings(List.of("string", "number", "boolean")));
        }
        if (!option.allowed().isEmpty()) {
            node.put("description", "one of: " + String.join(", ", option.allowed()));
        }
        return node;
    }

    /** Each check type: its discriminating key is required, and it takes exactly its keys. */
    private static ObjectNode checks(Map<String, Set<String>> checkKeys, Set<String> durationKeys) {
        ArrayNode oneOf = JSON.createArrayNode();
        for (String type : new TreeSet<>(checkKeys.keySet())) {
            ObjectNode properties = JSON.createObjectNode();
            for (String key : new TreeSet<>(checkKeys.get(type))) {
                properties.set(key, key.equals(type) && type.equals("http") ? JSON.createObjectNode().put("type", "string")
                        : key.equals(type) ? JSON.createObjectNode().set("type", strings(List.of("string", "array")))
                        : durationKeys.contains(key) ? JSON.createObjectNode().put("$ref", "#/$defs/duration")
                        : JSON.createObjectNode());
            }
            ObjectNode check = JSON.createObjectNode().put("type", "object");
            check.set("required", strings(List.of(type)));
            check.put("additionalProperties", false);
            check.set("properties", properties);
            oneOf.add(check);
        }
        return JSON.createObjectNode().set("oneOf", oneOf);
    }

    private static ObjectNode when(String key, String value, ObjectNode then) {
        ObjectNode condition = JSON.createObjectNode();
        condition.set("properties", JSON.createObjectNode().set(key, JSON.createObjectNode().put("const", value)));
        condition.set("required", strings(List.of(key)));
        ObjectNode rule = JSON.createObjectNode();
        rule.set("if", condition);
        rule.set("then", then);
        return rule;
    }

    private static ObjectNode names(Object... names) {
        TreeSet<String> all = new TreeSet<>();
        for (Object name : names) {
            if (name instanceof Collection<?> many) {
                many.forEach(n -> all.add(n.toString()));
            } else {
                all.add(name.toString());
            }
        }
        return JSON.createObjectNode().set("enum", strings(all));
    }

    private static Set<String> union(List<Set<String>> sets) {
        Set<String> all = new TreeSet<>();
        sets.forEach(all::addAll);
        return all;
    }

    private static ArrayNode strings(Collection<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }
}
