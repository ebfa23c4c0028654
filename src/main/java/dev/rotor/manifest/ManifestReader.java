package dev.rotor.manifest;

import dev.rotor.manifest.Yaml.Field;
import dev.rotor.manifest.Yaml.ListNode;
import dev.rotor.manifest.Yaml.MapNode;
import dev.rotor.manifest.Yaml.Node;
import dev.rotor.manifest.Yaml.Scalar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shape pass: turns the YAML tree into model records, reporting wrong types, unknown and missing keys,
 * bad names, durations and strategies. What needs other parts of the manifest or the providers is
 * {@link ManifestValidator}'s.
 */
final class ManifestReader {
    /** Names of environments, stores and secrets: lower case, digits, '-' and '_'; no '.' (it separates parts of a key path and a journal entry). */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    static final String NAME_RULE = "lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters";

    static final Set<String> TOP_KEYS = Set.of("version", "environments", "stores", "secrets", "notify");
    static final Set<String> ENVIRONMENT_KEYS = Set.of("vars");
    static final Set<String> SECRET_KEYS = Set.of("generate", "max-age", "owner", "strategy", "grace", "prepare-next",
            "key-id", "journal", "targets", "verify", "hooks");
    static final String DEFAULT_STRATEGY = "single-user";
    /** Strategies that work through an owner's users and passwords. */
    static final Set<String> OWNED_STRATEGIES = Set.of("dual-password", "alternating-users");

    private final Path file;
    private final Vocabulary vocabulary;
    private final List<Problem> problems;

    ManifestReader(Path file, Vocabulary vocabulary, List<Problem> problems) {
        this.vocabulary = vocabulary;
        this.file = file;
        this.problems = problems;
    }

    /** The model as far as its shape allows; problems are added to the list given at construction. */
    Manifest read(Node root) {
        MapNode top = root instanceof MapNode m ? m : null;
        if (top == null) {
            error(root.location(), "", "the manifest must be a map with version, stores and secrets, not " + root.kind(),
                    "start with 'version: 1'");
            return new Manifest(file, 0, Map.of(), Map.of(), Map.of(), List.of(), List.of());
        }
        unknownKeys(top, "", TOP_KEYS, "top-level keys");
        int version = version(top);
        Map<String, EnvironmentSpec> environments = named(top, "environments", false, this::environment);
        Map<String, StoreSpec> stores = named(top, "stores", true, this::store);
        Map<String, SecretSpec> secrets = named(top, "secrets", true, this::secret);
        return new Manifest(file, version, environments, stores, secrets, List.of(), notify(top));
    }

    private int version(MapNode top) {
        Field field = top.fields().get("version");
        if (field == null) {
            error(top.location(), "version", "'version' is required", "add 'version: 1' at the top");
            return 0;
        }
        if (field.value() instanceof Scalar s && s.value() instanceof Number n && n.doubleValue() == 1) {
            return 1;
        }
        error(field.value().location(), "version", "unsupported version '" + text(field.value())
                + "': this Rotor reads version 1", "write 'version: 1'");
        return 0;
    }

    private interface EntryReader<T> {
        T read(String name, String path, Field field);
    }

    /** A map of named entries (environments, stores, secrets), in manifest order. */
    private <T> Map<String, T> named(MapNode top, String key, boolean required, EntryReader<T> reader) {
        Field field = top.fields().get(key);
        Map<String, T> out = new LinkedHashMap<>();
        if (field == null) {
            if (required) {
                error(top.location(), key, "'" + key + "' is required", "add a '" + key + ":' map");
            }
            return out;
        }
        MapNode map = map(field.value(), key);
        if (map == null) {
            return out;
        }
        for (Field entry : map.fields().values()) {
            String path = Paths.child(key, entry.key());
            if (!NAME.matcher(entry.key()).matches()) {
                error(entry.keyLocation(), path, "invalid name '" + entry.key() + "'", "use " + NAME_RULE);
            }
            T value = reader.read(entry.key(), path, entry);
            if (value != null) {
                out.put(entry.key(), value);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private EnvironmentSpec environment(String name, String path, Field field) {
        if (field.value() instanceof Scalar s && s.value() == null) {
            return new EnvironmentSpec(name, Map.of(), field.keyLocation());
        }
        MapNode map = map(field.value(), path);
        if (map == null) {
            return null;
        }
        unknownKeys(map, path, ENVIRONMENT_KEYS, "environment keys");
        Map<String, String> vars = new LinkedHashMap<>();
        Field varsField = map.fields().get("vars");
        MapNode varsMap = varsField == null ? null : map(varsField.value(), Paths.child(path, "vars"));
        if (varsMap != null) {
            for (Field var : varsMap.fields().values()) {
                String varPath = Paths.child(Paths.child(path, "vars"), var.key());
                if (!Reference.VARIABLE_NAME.matcher(var.key()).matches()) {
                    error(var.keyLocation(), varPath, "invalid variable name '" + var.key() + "'",
                            "use letters, digits, '_' and '-', starting with a letter or '_'");
                }
                if (var.value() instanceof Scalar s && s.value() != null) {
                    vars.put(var.key(), s.asText());
                } else {
                    error(var.value().location(), varPath, "a variable must be a string, number or boolean, not "
                            + var.value().kind(), "");
                }
            }
        }
        return new EnvironmentSpec(name, Collections.unmodifiableMap(vars), field.keyLocation());
    }

    private StoreSpec store(String name, String path, Field field) {
        MapNode map = map(field.value(), path);
        if (map == null) {
            return null;
        }
        String type = requiredString(map, path, "type", field.keyLocation(), "add 'type:' naming the kind of store");
        return new StoreSpec(name, type, rest(map, Set.of("type")), field.keyLocation());
    }

    private SecretSpec secret(String name, String path, Field field) {
        MapNode map = map(field.value(), path);
        if (map == null) {
            return null;
        }
        unknownKeys(map, path, SECRET_KEYS, "secret keys");
        GeneratorSpec generate = generator(map, path, field.keyLocation());
        Duration maxAge = maxAge(map, path);
        OwnerSpec owner = owner(map, path);
        String strategy = strategy(map, path, owner);
        Duration grace = duration(map, path, "grace", "write e.g. 'grace: 15m' (the token lifetime)");
        boolean prepareNext = Boolean.TRUE.equals(optionalBoolean(map, path, "prepare-next"));
        String keyId = optionalString(map, path, "key-id");
        String journal = optionalString(map, path, "journal");
        List<TargetSpec> targets = targets(map, path, field.keyLocation());
        List<CheckSpec> verify = verify(map, path);
        HooksSpec hooks = hooks(map, path);
        return new SecretSpec(name, generate, maxAge, owner, strategy, grace, prepareNext, keyId, journal, targets,
                verify, hooks, field.keyLocation());
    }

    private GeneratorSpec generator(MapNode secret, String path, Location at) {
        Field field = secret.fields().get("generate");
        String generatePath = Paths.child(path, "generate");
        if (field == null) {
            error(at, generatePath, "'generate' is required",
                    "add 'generate: { type: password, length: 32 }' (or type: provided for a value you supply)");
            return null;
        }
        MapNode map = map(field.value(), generatePath);
        if (map == null) {
            return null;
        }
        String type = requiredString(map, generatePath, "type", field.keyLocation(),
                "add 'type:' (password, bytes, uuid, rsa, ec, ed25519, jwt-hmac or provided)");
        return new GeneratorSpec(type, rest(map, Set.of("type")), field.keyLocation());
    }

    private Duration maxAge(MapNode secret, String path) {
        return duration(secret, path, "max-age", "write e.g. 'max-age: 90d'");
    }

    private Duration duration(MapNode secret, String path, String key, String example) {
        Field field = secret.fields().get(key);
        if (field == null) {
            return null;
        }
        String keyPath = Paths.child(path, key);
        String text = string(field.value(), keyPath);
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            error(field.value().location(), keyPath, e.getMessage(), example);
            return null;
        }
    }

    private OwnerSpec owner(MapNode secret, String path) {
        Field field = secret.fields().get("owner");
        if (field == null) {
            return null;
        }
        String ownerPath = Paths.child(path, "owner");
        MapNode map = map(field.value(), ownerPath);
        if (map == null) {
            return null;
        }
        String store = requiredString(map, ownerPath, "store", field.keyLocation(),
                "add 'store:' naming the store (connection) that enforces this credential");
        return new OwnerSpec(store, rest(map, Set.of("store")), field.keyLocation());
    }

    private String strategy(MapNode secret, String path, OwnerSpec owner) {
        Field field = secret.fields().get("strategy");
        String strategy = optionalString(secret, path, "strategy");
        if (strategy == null) {
            return DEFAULT_STRATEGY;
        }
        String strategyPath = Paths.child(path, "strategy");
        if (!vocabulary.strategies().contains(strategy)) {
            error(field.value().location(), strategyPath, "unknown strategy '" + strategy + "'",
                    Suggestions.didYouMean(strategy, vocabulary.strategies(), "strategies"));
        } else if (owner == null && OWNED_STRATEGIES.contains(strategy)) {
            error(field.value().location(), strategyPath, "strategy '" + strategy + "' needs an owner",
                    "add 'owner: { store: NAME, ... }' or remove 'strategy'");
        }
        return strategy;
    }

    private List<TargetSpec> targets(MapNode secret, String path, Location at) {
        Field field = secret.fields().get("targets");
        String targetsPath = Paths.child(path, "targets");
        if (field == null) {
            error(at, targetsPath, "'targets' is required", "add 'targets:' with at least one '{ store: NAME, name: NAME }'");
            return List.of();
        }
        ListNode list = list(field.value(), targetsPath);
        if (list == null) {
            return List.of();
        }
        if (list.items().isEmpty()) {
            error(field.value().location(), targetsPath, "'targets' is empty", "add at least one '{ store: NAME, name: NAME }'");
        }
        List<TargetSpec> targets = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            String itemPath = Paths.item(targetsPath, i);
            MapNode map = map(list.items().get(i), itemPath);
            if (map == null) {
                continue;
            }
            String store = requiredString(map, itemPath, "store", map.location(), "add 'store:' naming one of 'stores:'");
            String name = requiredString(map, itemPath, "name", map.location(), "add 'name:', the entry's name in that store");
            String value = optionalString(map, itemPath, "value");
            String slot = optionalString(map, itemPath, "slot");
            if (slot != null && !slot.equals("current") && !slot.equals("next")) {
                error(map.fields().get("slot").value().location(), Paths.child(itemPath, "slot"),
                        "unknown slot '" + slot + "'", "write 'slot: next' (a NEXT copy) or 'slot: current'");
            }
            targets.add(new TargetSpec(store, name, value, "current".equals(slot) ? null : slot,
                    rest(map, Set.of("store", "name", "value", "slot")), map.location()));
        }
        return List.copyOf(targets);
    }

    private List<CheckSpec> verify(MapNode secret, String path) {
        Field field = secret.fields().get("verify");
        if (field == null) {
            return List.of();
        }
        String verifyPath = Paths.child(path, "verify");
        ListNode list = list(field.value(), verifyPath);
        if (list == null) {
            return List.of();
        }
        List<CheckSpec> checks = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            String itemPath = Paths.item(verifyPath, i);
            MapNode map = map(list.items().get(i), itemPath);
            if (map == null) {
                continue;
            }
            List<String> types = map.fields().keySet().stream().filter(vocabulary.checkKeys()::containsKey).toList();
            if (types.size() != 1) {
                error(map.location(), itemPath, types.isEmpty() ? "a check needs one of: " + sorted(vocabulary.checkKeys().keySet())
                        : "a check has exactly one of " + sorted(vocabulary.checkKeys().keySet()) + ", not " + types.size(),
                        "write e.g. '{ http: https://example.org/healthz, expect: 200 }'");
                continue;
            }
            String type = types.get(0);
            unknownKeys(map, itemPath, vocabulary.checkKeys().get(type), type + " check keys");
            Node discriminator = map.fields().get(type).value();
            boolean commandList = type.equals("command") && discriminator instanceof ListNode;
            if (!commandList && string(discriminator, Paths.child(itemPath, type)) == null) {
                continue;
            }
            checks.add(new CheckSpec(type, rest(map, Set.of()), map.location()));
        }
        return List.copyOf(checks);
    }

    /** {@code hooks: { before: {command: ...}, after: {command: ...} }}: each shaped like a command check. */
    private HooksSpec hooks(MapNode secret, String path) {
        Field field = secret.fields().get("hooks");
        if (field == null) {
            return HooksSpec.NONE;
        }
        String hooksPath = Paths.child(path, "hooks");
        MapNode map = map(field.value(), hooksPath);
        if (map == null) {
            return HooksSpec.NONE;
        }
        unknownKeys(map, hooksPath, Set.of("before", "after"), "hooks");
        return new HooksSpec(hook(map, hooksPath, "before"), hook(map, hooksPath, "after"));
    }

    private CheckSpec hook(MapNode hooks, String path, String when) {
        Field field = hooks.fields().get(when);
        if (field == null) {
            return null;
        }
        String hookPath = Paths.child(path, when);
        MapNode map = map(field.value(), hookPath);
        if (map == null) {
            return null;
        }
        unknownKeys(map, hookPath, vocabulary.checkKeys().get("command"), "hook keys");
        Field command = map.fields().get("command");
        if (command == null) {
            error(field.keyLocation(), Paths.child(hookPath, "command"), "a hook needs 'command'",
                    "write e.g. '" + when + ": { command: [docker, compose, up, -d, --force-recreate] }'");
            return null;
        }
        if (!(command.value() instanceof ListNode) && string(command.value(), Paths.child(hookPath, "command")) == null) {
            return null;
        }
        return new CheckSpec("command", rest(map, Set.of()), map.location());
    }

    static final Set<String> NOTIFY_KEYS = Set.of("webhook", "format", "on");

    /** {@code notify:}: a list of webhooks, each with its format and the states that send it (default: all). */
    private List<NotifySpec> notify(MapNode top) {
        Field field = top.fields().get("notify");
        ListNode list = field == null ? null : list(field.value(), "notify");
        if (list == null) {
            return List.of();
        }
        List<NotifySpec> out = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            String path = Paths.item("notify", i);
            MapNode map = map(list.items().get(i), path);
            if (map == null) {
                continue;
            }
            unknownKeys(map, path, NOTIFY_KEYS, "notify keys");
            String webhook = requiredString(map, path, "webhook", map.location(),
                    "add 'webhook: ${env:NAME}' naming the variable that holds the URL");
            NotifySpec.Format format = choice(map, path, "format", NotifySpec.Format.values(), map.location());
            Set<NotifySpec.State> on = java.util.EnumSet.allOf(NotifySpec.State.class);
            Field onField = map.fields().get("on");
            ListNode states = onField == null ? null : list(onField.value(), Paths.child(path, "on"));
            if (states != null) {
                on.clear();
                for (int j = 0; j < states.items().size(); j++) {
                    NotifySpec.State state = choice(states.items().get(j), Paths.item(Paths.child(path, "on"), j),
                            NotifySpec.State.values());
                    if (state != null) {
                        on.add(state);
                    }
                }
                if (states.items().isEmpty()) {
                    error(onField.value().location(), Paths.child(path, "on"), "'on' is empty: this webhook would "
                            + "never be sent", "list states, e.g. 'on: [partial, failure]', or remove 'on' for all");
                }
            }
            out.add(new NotifySpec(webhook, format, java.util.Collections.unmodifiableSet(on), map.location()));
        }
        return List.copyOf(out);
    }

    /** A required key whose value is one of {@code values} (written in lower case); null after an error. */
    private <E extends Enum<E>> E choice(MapNode map, String path, String key, E[] values, Location missingAt) {
        Field field = map.fields().get(key);
        if (field == null) {
            error(missingAt, Paths.child(path, key), "'" + key + "' is required", "add '" + key + ": "
                    + String.join("' or '" + key + ": ", NotifySpec.labels(values)) + "'");
            return null;
        }
        return choice(field.value(), Paths.child(path, key), values);
    }

    private <E extends Enum<E>> E choice(Node node, String path, E[] values) {
        String text = string(node, path);
        if (text == null) {
            return null;
        }
        List<String> labels = NotifySpec.labels(values);
        int at = labels.indexOf(text);
        if (at < 0) {
            error(node.location(), path, "unknown value '" + text + "'", Suggestions.didYouMean(text, labels, "values"));
            return null;
        }
        return values[at];
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void unknownKeys(MapNode map, String path, Set<String> allowed, String what) {
        for (Field field : map.fields().values()) {
            if (!allowed.contains(field.key())) {
                error(field.keyLocation(), Paths.child(path, field.key()), "unknown key '" + field.key() + "'",
                        Suggestions.didYouMean(field.key(), allowed, what));
            }
        }
    }

    private MapNode map(Node node, String path) {
        if (node instanceof MapNode m) {
            return m;
        }
        error(node.location(), path, "must be a map, not " + node.kind(), "");
        return null;
    }

    private ListNode list(Node node, String path) {
        if (node instanceof ListNode l) {
            return l;
        }
        error(node.location(), path, "must be a list, not " + node.kind(), "");
        return null;
    }

    private String string(Node node, String path) {
        if (node instanceof Scalar s && s.value() instanceof String text) {
            return text;
        }
        error(node.location(), path, "must be a string, not " + node.kind(),
                node instanceof Scalar s && s.value() != null ? "put it in quotes" : "");
        return null;
    }

    private String optionalString(MapNode map, String path, String key) {
        Field field = map.fields().get(key);
        return field == null ? null : string(field.value(), Paths.child(path, key));
    }

    private Boolean optionalBoolean(MapNode map, String path, String key) {
        Field field = map.fields().get(key);
        if (field == null) {
            return null;
        }
        if (field.value() instanceof Scalar s && s.value() instanceof Boolean b) {
            return b;
        }
        error(field.value().location(), Paths.child(path, key), "must be true or false, not " + field.value().kind(), "");
        return null;
    }

    private String requiredString(MapNode map, String path, String key, Location missingAt, String suggestion) {
        Field field = map.fields().get(key);
        if (field == null) {
            error(missingAt, Paths.child(path, key), "'" + key + "' is required", suggestion);
            return null;
        }
        return string(field.value(), Paths.child(path, key));
    }

    /** Every field but {@code except}, as plain Java values (maps, lists, strings, numbers, booleans). */
    private static Map<String, Object> rest(MapNode map, Set<String> except) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field field : map.fields().values()) {
            if (!except.contains(field.key())) {
                out.put(field.key(), toJava(field.value()));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    static Object toJava(Node node) {
        if (node instanceof MapNode m) {
            return rest(m, Set.of());
        }
        if (node instanceof ListNode l) {
            List<Object> out = new ArrayList<>();
            for (Node item : l.items()) {
                out.add(toJava(item)); // a loop, not a lambda the CDS archive may lack: every 'classes:' list passes here
            }
            return Collections.unmodifiableList(out);
        }
        return ((Scalar) node).value();
    }

    private static String text(Node node) {
        return node instanceof Scalar s ? String.valueOf(s.text()) : node.kind();
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", new java.util.TreeSet<>(names));
    }

    private void error(Location at, String path, String message, String suggestion) {
        problems.add(Problem.error(at, path, message, suggestion));
    }
}
