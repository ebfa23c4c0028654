package dev.rotor.manifest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The meaning pass over a model whose shape was read: references between stores, owners, targets and journals,
 * provider keys, templates, credentials, target names per environment, duplicates. Adds errors to the problem
 * list and returns the manifest with journals defaulted and warnings attached.
 */
final class ManifestValidator {
    private static final Pattern ENV_ONLY = Pattern.compile("\\$\\{\\s*env:([A-Za-z_][A-Za-z0-9_]*)\\s*}");

    private final Manifest manifest;
    private final NodeIndex index;
    private final Map<String, StoreType> providers;
    private final Vocabulary vocabulary;
    private final Map<String, String> environment;
    private final List<Problem> problems;
    private final List<Problem> warnings = new ArrayList<>();
    /** Secrets whose journal is on the runner's disk, by journal store: one warning per store, not per secret. */
    private final Map<String, List<String>> localJournals = new LinkedHashMap<>();
    private final TemplateChecker templates;
    /** Environment variables that store and owner credentials are read from: Rotor must not rotate these. */
    private final Map<String, String> credentialVariables = new LinkedHashMap<>();

    ManifestValidator(Manifest manifest, NodeIndex index, Vocabulary vocabulary, Map<String, String> environment,
                      List<Problem> problems) {
        this.manifest = manifest;
        this.index = index;
        this.vocabulary = vocabulary;
        Map<String, StoreType> byType = new LinkedHashMap<>();
        vocabulary.storeTypes().forEach(t -> byType.put(t.type(), t));
        this.providers = byType;
        this.environment = environment;
        this.problems = problems;
        this.templates = new TemplateChecker(manifest, index, problems);
    }

    Manifest validate() {
        manifest.environments().values().forEach(this::environment);
        manifest.stores().values().forEach(this::store);
        notifications();
        Map<String, SecretSpec> secrets = new LinkedHashMap<>();
        for (SecretSpec secret : manifest.secrets().values()) {
            secrets.put(secret.name(), secret(secret));
        }
        new TargetNames(manifest, index, providers, vocabulary.generators(), environment, credentialVariables, problems)
                .check();
        warnOfLocalJournals();
        return new Manifest(manifest.file(), manifest.version(), manifest.environments(), manifest.stores(),
                java.util.Collections.unmodifiableMap(secrets), List.copyOf(warnings), manifest.notifications());
    }

    private void environment(EnvironmentSpec env) {
        String path = "environments." + env.name() + ".vars";
        Set<String> inCycle = new HashSet<>();
        env.vars().forEach((name, template) -> {
            String varPath = Paths.child(path, name);
            templates.check(varPath, template, null, List.of(env));
            if (inCycle.contains(name)) {
                return;
            }
            Variables.cycleFrom(name, env.vars()).ifPresent(cycle -> {
                inCycle.addAll(cycle);
                error(index.value(varPath), varPath, "variables refer to each other in a cycle: "
                        + String.join(" -> ", cycle), "make one of them a plain value");
            });
        });
    }

    private void store(StoreSpec store) {
        String path = "stores." + store.name();
        if (store.type() != null) {
            Optional<StoreType> provider = Optional.ofNullable(providers.get(store.type()));
            if (provider.isEmpty()) {
                error(index.value(path + ".type"), path + ".type", "unknown store type '" + store.type() + "'",
                        Suggestions.didYouMean(store.type(), providers.keySet(), "types"));
            } else {
                keys(path, store.settings().keySet(), provider.get().settingKeys(), store.type() + " settings");
                required(path, store.settings(), provider.get().requiredSettingKeys(),
                        "setting '%s' for a store of type " + store.type());
                report(path, provider.get().checkSettings(store.settings()));
                credentials(path, store.settings(), provider.get().credentialKeys());
            }
        }
        templates.checkTree(path, store.settings());
    }

    /** A webhook URL is a credential: like a store's, it must be exactly {@code ${env:NAME}}, never a literal. */
    private void notifications() {
        for (int i = 0; i < manifest.notifications().size(); i++) {
            String webhook = manifest.notifications().get(i).webhook();
            if (webhook != null) {
                credentials(Paths.item("notify", i), Map.of("webhook", webhook), Set.of("webhook"));
            }
        }
    }

    private SecretSpec secret(SecretSpec secret) {
        String path = "secrets." + secret.name();
        generator(path, secret.generate());
        owner(path, secret.owner());
        strategy(path, secret);
        boolean targetsKnown = true;
        for (int i = 0; i < secret.targets().size(); i++) {
            targetsKnown &= target(Paths.item(path + ".targets", i), secret.targets().get(i), secret.strategy());
        }
        for (int i = 0; i < secret.verify().size(); i++) {
            check(Paths.item(path + ".verify", i), secret.verify().get(i), secret.strategy());
        }
        hook(path + ".hooks.before", secret.hooks().before(), secret.strategy());
        hook(path + ".hooks.after", secret.hooks().after(), secret.strategy());
        String journal = journal(path, secret, targetsKnown);
        return new SecretSpec(secret.name(), secret.generate(), secret.maxAge(), secret.owner(), secret.strategy(),
                secret.grace(), secret.prepareNext(), secret.keyId(), journal, secret.targets(), secret.verify(),
                secret.hooks(), secret.location());
    }

    private void generator(String secretPath, GeneratorSpec spec) {
        if (spec == null || spec.type() == null) {
            return;
        }
        String path = secretPath + ".generate";
        for (KeyProblem p : vocabulary.generators().check(spec)) {
            String keyPath = p.key() == null ? path : Paths.child(path, p.key());
            error(p.key() == null ? index.key(path) : index.key(keyPath), keyPath, p.message(), p.suggestion());
        }
    }

    private void owner(String secretPath, OwnerSpec owner) {
        if (owner == null || owner.store() == null) {
            return;
        }
        String path = secretPath + ".owner";
        templates.checkTree(path, owner.options());
        StoreType provider = storeProvider(path + ".store", owner.store());
        if (provider == null) {
            return;
        }
        if (!provider.isOwner()) {
            error(index.value(path + ".store"), path + ".store", "store '" + owner.store() + "' (type "
                    + provider.type() + ") cannot be an owner: it only holds copies", ownerTypesHint());
            return;
        }
        keys(path, owner.options().keySet(), provider.ownerKeys(), provider.type() + " owner keys");
        report(path, provider.checkOwner(manifest.stores().get(owner.store()).settings(), owner.options()));
    }

    /**
     * What a strategy needs: an owner that can do it (dual-password: two passwords for one user; alternating-users:
     * users created like another), none for keyset; and the keys that tune one strategy only on that strategy.
     */
    private void strategy(String path, SecretSpec secret) {
        String strategy = secret.strategy();
        String strategyPath = path + ".strategy";
        StoreType ownerType = secret.owner() == null || secret.owner().store() == null ? null
                : provider(secret.owner().store());
        if (strategy.equals("keyset") && secret.owner() != null) {
            error(index.key(path + ".owner"), path + ".owner", "strategy 'keyset' rotates signing keys that live only "
                    + "in stores: it has no owner", "remove 'owner:', or use another strategy");
        } else if (ownerType != null && ownerType.isOwner() && !ownerType.strategies().contains(strategy)) {
            boolean alternate = ownerType.strategies().contains("alternating-users");
            error(index.value(strategyPath), strategyPath, "owner '" + secret.owner().store() + "' (type "
                    + ownerType.type() + ") cannot rotate with strategy '" + strategy + "'" + (strategy.equals("dual-password")
                    ? ": it cannot hold two passwords for one user" : "") + "; it can: "
                    + String.join(", ", new java.util.TreeSet<>(ownerType.strategies())), alternate
                    ? "use 'strategy: alternating-users' to rotate it without downtime (a new user with the same "
                    + "privileges, the old one removed after 'grace')" : "use 'strategy: single-user'");
        }
        onlyWith(path, "grace", secret.grace() != null, strategy, "alternating-users", "keyset");
        onlyWith(path, "prepare-next", secret.prepareNext(), strategy, "dual-password");
        onlyWith(path, "key-id", secret.keyId() != null, strategy, "keyset");
        if (secret.keyId() != null && secret.keyId().indexOf("{n}") != secret.keyId().lastIndexOf("{n}")
                || secret.keyId() != null && !secret.keyId().contains("{n}")) {
            error(index.value(path + ".key-id"), path + ".key-id", "key-id '" + secret.keyId() + "' must contain "
                    + "{n} exactly once (the version number)", "write e.g. 'key-id: jwt-secret-v{n}'");
        }
        for (int i = 0; i < secret.targets().size(); i++) {
            TargetSpec target = secret.targets().get(i);
            if (target.slot() != null && !strategy.equals("dual-password")) {
                String slotPath = Paths.item(path + ".targets", i) + ".slot";
                error(index.value(slotPath), slotPath, "'slot' is only for strategy dual-password",
                        "remove it, or use 'strategy: dual-password' with an owner that holds two passwords");
            }
        }
        if (secret.prepareNext() && secret.targets().stream().noneMatch(TargetSpec::next)) {
            error(index.value(path + ".prepare-next"), path + ".prepare-next", "prepare-next writes a fresh NEXT to "
                    + "the 'slot: next' targets, and this secret has none", "add a target with 'slot: next'");
        }
        if (strategy.equals("keyset") && secret.generate() != null && !ASYMMETRIC.contains(secret.generate().type())) {
            for (int i = 0; i < secret.targets().size(); i++) {
                String value = secret.targets().get(i).value();
                if (value != null && value.contains("secret.jwks")) {
                    String valuePath = Paths.item(path + ".targets", i) + ".value";
                    error(index.value(valuePath), valuePath, "${secret.jwks} publishes public keys, and a '"
                            + secret.generate().type() + "' key has none (publishing it would publish the secret)",
                            "generate an rsa, ec or ed25519 key, or use ${secret.keys}");
                }
            }
        }
    }

    /** Key types whose public part a JWKS can publish. */
    private static final Set<String> ASYMMETRIC = Set.of("rsa", "ec", "ed25519");

    private void onlyWith(String path, String key, boolean present, String strategy, String... strategies) {
        if (present && !List.of(strategies).contains(strategy)) {
            error(index.key(path + "." + key), path + "." + key, "'" + key + "' is only for strategy "
                    + String.join(" or ", strategies) + ", not " + strategy, "remove it, or set 'strategy:'");
        }
    }

    /** A provider's own problems, at the key they name under {@code path} (or at the map itself). */
    private void report(String path, List<KeyProblem> found) {
        for (KeyProblem p : found) {
            String keyPath = p.key() == null ? path : Paths.child(path, p.key());
            error(p.key() == null ? index.key(path) : index.value(keyPath), keyPath, p.message(), p.suggestion());
        }
    }

    /** A problem at the map for each required key it lacks; {@code what} names the key through {@code %s}. */
    private void required(String path, Map<String, Object> map, Set<String> requiredKeys, String what) {
        for (String key : new java.util.TreeSet<>(requiredKeys)) {
            if (map.get(key) == null) {
                error(index.key(path), Paths.child(path, key), "missing " + what.formatted(key), "add '" + key + ":'");
            }
        }
    }

    /** Checks one target; false when its store or provider is unknown (so a missing journal is not reported twice). */
    private boolean target(String path, TargetSpec target, String strategy) {
        boolean keyset = "keyset".equals(strategy);
        templates.check(path + ".name", target.name(), keyset ? Set.of(SecretValue.KID) : null,
                manifest.environments().values());
        templates.check(path + ".value", target.value(), SecretValue.fieldsOf(strategy), manifest.environments().values());
        templates.checkTree(path, target.scope());
        if (target.store() == null) {
            return false;
        }
        StoreType provider = storeProvider(path + ".store", target.store());
        if (provider == null) {
            return false;
        }
        if (!provider.isStore()) {
            error(index.value(path + ".store"), path + ".store", "store '" + target.store() + "' (type "
                    + provider.type() + ") cannot hold a secret: it is only an owner", "write the value to a store instead");
            return false;
        }
        keys(path, target.scope().keySet(), provider.targetKeys(), provider.type() + " target keys");
        required(path, target.scope(), provider.requiredTargetKeys(), "key '%s' for a target of a " + provider.type()
                + " store");
        target.scope().forEach((key, value) -> {
            if (value == null) {
                error(index.value(Paths.child(path, key)), Paths.child(path, key), "'" + key + "' has no value",
                        "give it a value or remove it");
            }
        });
        report(path, provider.checkTarget(manifest.stores().get(target.store()).settings(), target.scope()));
        if (keyset && Bindings.usesSecret(target.name()) && !provider.canDelete()) {
            error(index.value(path + ".name"), path + ".name", "store '" + target.store() + "' (type "
                    + provider.type() + ") cannot delete one entry, so a key version named by ${secret.kid} could "
                    + "never be removed after its grace", "keep the key set in a store that can delete an entry (types: "
                    + String.join(", ", providers.values().stream().filter(StoreType::canDelete).map(StoreType::type)
                    .sorted().toList()) + "), or write it as one value: 'value: ${secret.keys}'");
        }
        return true;
    }

    private void check(String path, CheckSpec check, String strategy) {
        // An http check's URL is printed in progress and failures and lands in access logs: it may not carry the value.
        templates.checkTree(path, check.options(), check.type().equals("command") ? SecretValue.fieldsOf(strategy) : null);
        durations(path, check);
    }

    /** A hook gets the value only through the variables its {@code env} names: a command line shows in {@code ps}. */
    private void hook(String path, CheckSpec hook, String strategy) {
        if (hook == null) {
            return;
        }
        hook.options().forEach((key, value) -> templates.checkTree(Paths.child(path, key), value,
                key.equals("env") ? SecretValue.fieldsOf(strategy) : null));
        durations(path, hook);
    }

    private void durations(String path, CheckSpec check) {
        for (String key : vocabulary.durationKeys()) {
            Object value = check.options().get(key);
            if (value == null || !vocabulary.checkKeys().get(check.type()).contains(key)) {
                continue;
            }
            try {
                Durations.parse(value instanceof String s ? s : "");
            } catch (IllegalArgumentException e) {
                error(index.value(Paths.child(path, key)), Paths.child(path, key), "'" + value
                        + "' is not a duration: expected " + Durations.FORMS, "write e.g. '" + key + ": 10s'");
            }
        }
    }

    private String journal(String secretPath, SecretSpec secret, boolean targetsKnown) {
        String journal = secret.journal();
        String path = secretPath + ".journal";
        if (journal != null) {
            StoreType provider = storeProvider(path, journal);
            if (provider != null && !provider.canHoldJournal()) {
                error(index.value(path), path, "store '" + journal + "' (type " + provider.type()
                        + ") cannot hold a journal: it must be readable, keep a pending value apart and refuse a stale "
                        + "write (compare-and-set)", journalHint());
                return journal;
            }
            noteIfLocal(secret.name(), journal, provider);
            return journal;
        }
        for (TargetSpec target : secret.targets()) {
            StoreType provider = target.store() == null ? null : provider(target.store());
            if (provider != null && provider.canHoldJournal()) {
                noteIfLocal(secret.name(), target.store(), provider);
                return target.store();
            }
        }
        if (targetsKnown && !secret.targets().isEmpty()) {
            error(secret.location(), path, "secret '" + secret.name() + "' needs a readable journal so a resumed "
                    + "rotation finishes with the same value; none of its targets' stores can hold one", journalHint());
        }
        return null;
    }

    private void noteIfLocal(String secret, String journal, StoreType provider) {
        if (provider != null && provider.onLocalDisk()
                && "true".equalsIgnoreCase(environment.get("GITHUB_ACTIONS"))) {
            localJournals.computeIfAbsent(journal, j -> new ArrayList<>()).add(secret);
        }
    }

    /** In GitHub Actions, one warning per journal store on the runner's disk, at that store, naming its secrets. */
    private void warnOfLocalJournals() {
        localJournals.forEach((journal, secrets) -> {
            String path = "stores." + journal;
            String named = secrets.size() <= 3 ? String.join(", ", secrets)
                    : String.join(", ", secrets.subList(0, 3)) + " and " + (secrets.size() - 3) + " more";
            warnings.add(Problem.warning(index.value(path), path, "store '" + journal + "' (type "
                    + manifest.stores().get(journal).type() + ") is the journal of " + Plural.count(secrets.size(), "secret")
                    + " (" + named + ") and is on the runner's disk, which is gone "
                    + "when the job ends: an interrupted rotation could not resume with the same value",
                    durableJournalHint()));
        });
    }

    /** The store types whose journal outlives the runner, as the registry has them (not a list to keep by hand). */
    private String durableJournalHint() {
        String types = journalTypes(true);
        return "use a durable readable store as 'journal:'" + (types.isEmpty() ? "" : " (" + types + ")");
    }

    private String journalHint() {
        String types = journalTypes(false);
        return "add a target on a readable store or set 'journal: STORE' naming one"
                + (types.isEmpty() ? "" : " (types that can: " + types + ")");
    }

    /** The registered types that can hold a journal ({@code durable}: and are not on the runner's disk), sorted. */
    private String journalTypes(boolean durable) {
        return String.join(", ", providers.values().stream()
                .filter(p -> p.canHoldJournal() && !(durable && p.onLocalDisk())).map(StoreType::type).sorted()
                .toList());
    }

    private String ownerTypesHint() {
        List<String> types = providers.values().stream().filter(StoreType::isOwner).map(StoreType::type).sorted().toList();
        return types.isEmpty() ? "" : "owner types: " + String.join(", ", types);
    }

    /** The provider of a named store, reporting an unknown store at {@code path}; null if unknown either way. */
    private StoreType storeProvider(String path, String storeName) {
        StoreSpec store = manifest.stores().get(storeName);
        if (store == null) {
            String known = Suggestions.didYouMean(storeName, manifest.stores().keySet(), "stores");
            error(index.value(path), path, "unknown store '" + storeName + "'",
                    known.isEmpty() ? "declare it under 'stores:'" : known);
            return null;
        }
        return provider(storeName);
    }

    private StoreType provider(String storeName) {
        StoreSpec store = manifest.stores().get(storeName);
        return store == null || store.type() == null ? null : providers.get(store.type());
    }

    private void keys(String path, Collection<String> keys, Set<String> allowed, String what) {
        for (String key : keys) {
            if (!allowed.contains(key)) {
                String keyPath = Paths.child(path, key);
                String suggestion = Suggestions.didYouMean(key, allowed, what);
                error(index.key(keyPath), keyPath, "unknown key '" + key + "'",
                        suggestion.isEmpty() ? "this type takes no other keys" : suggestion);
            }
        }
    }

    /**
     * A key its type declares a credential must be exactly {@code ${env:NAME}}: never a literal in the manifest. The
     * variables named are the ones Rotor authenticates with, which it then refuses to rotate.
     */
    private void credentials(String path, Map<String, Object> settings, Set<String> credentialKeys) {
        for (String key : credentialKeys) {
            Object value = settings.get(key);
            if (value == null) {
                continue;
            }
            String keyPath = Paths.child(path, key);
            Matcher m = value instanceof String s ? ENV_ONLY.matcher(s.trim()) : null;
            if (m != null && m.matches()) {
                credentialVariables.put(m.group(1), keyPath);
            } else {
                error(index.value(keyPath), keyPath, "'" + key + "' holds a credential and must not be written "
                        + "in the manifest", "reference an environment variable: '" + key + ": ${env:"
                        + key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "}'");
            }
        }
    }

    private void error(Location at, String path, String message, String suggestion) {
        problems.add(Problem.error(at, path, message, suggestion));
    }

}
