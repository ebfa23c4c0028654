package dev.rotor.manifest;

import dev.rotor.generate.Generators;
import dev.rotor.verify.Checks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Test-only store types and generator checks, so the loader is tested apart from the real providers. */
final class Fakes {
    private Fakes() {
    }

    record FakeType(String type, Set<String> settingKeys, Set<String> requiredSettingKeys, Set<String> targetKeys,
                    Set<String> ownerKeys, boolean isStore, boolean isOwner, boolean canHoldJournal, boolean onLocalDisk,
                    Set<String> credentialKeys, UnaryOperator<String> nameRule) implements StoreType {
        @Override
        public String checkTargetName(String name) {
            return nameRule.apply(name);
        }

        /** Owners here are like PostgreSQL: one password per user, so no dual-password. */
        @Override
        public Set<String> strategies() {
            return isOwner ? Set.of("single-user", "alternating-users") : Set.of();
        }
    }

    /** Like the local files store: readable, keeps a pending slot, on this machine's disk. */
    static final StoreType FILES = new FakeType("files", Set.of("directory", "backups", "mode"), Set.of("directory"),
            Set.of(), Set.of(), true, false, true, true, Set.of(),
            name -> name.contains("/") || name.startsWith(".") ? "a file name must not contain '/' or start with '.'" : null);

    /** Like GitHub secrets: write-only. */
    static final StoreType GITHUB = new FakeType("github", Set.of("repository", "token", "api-url"),
            Set.of("repository"), Set.of("environment", "visibility", "repositories"), Set.of(), true, false, false,
            false, Set.of("token"), name -> name.matches("[A-Z_][A-Z0-9_]*") ? null
            : "GitHub secret names are upper-case letters, digits and '_'");

    /** Like a PostgreSQL server: an owner only. */
    static final StoreType POSTGRES = new FakeType("postgres", Set.of("host", "port", "admin-user", "admin-password"),
            Set.of("host"), Set.of(), Set.of("user"), false, true, false, false, Set.of("admin-password"), name -> null);

    /** Like Vault KV: readable and durable. */
    static final StoreType VAULT = new FakeType("vault", Set.of("address", "token", "mount"), Set.of("address"),
            Set.of(), Set.of(), true, false, true, false, Set.of("token"), name -> null);

    /** The fakes, and the real vault-kv provider for the one case of a required target key. */
    static final List<StoreType> PROVIDERS = List.of(FILES, GITHUB, POSTGRES, VAULT, new dev.rotor.store.vault.VaultProvider());

    /** Generator types as the real ones; password options length (at least 8) and classes. */
    static List<KeyProblem> checkGenerator(dev.rotor.manifest.GeneratorSpec spec) {
        List<KeyProblem> problems = new ArrayList<>();
        if (!Generators.TYPES.contains(spec.type())) {
            problems.add(new KeyProblem("type", "unknown generator type '" + spec.type() + "'",
                    Suggestions.didYouMean(spec.type(), Generators.TYPES, "types")));
        } else if (spec.type().equals("password") && spec.options().get("length") instanceof Number n
                && n.intValue() < 8) {
            problems.add(new KeyProblem("length", "must be between 8 and 4096, not " + n, ""));
        }
        return problems;
    }

    /** The real generators' types and bounds, with the checks above. */
    static final GeneratorTypes GENERATORS = new GeneratorTypes() {
        @Override
        public List<String> types() {
            return List.copyOf(Generators.TYPES);
        }

        @Override
        public List<OptionInfo> options(String type) {
            return Generators.options(type);
        }

        @Override
        public List<KeyProblem> check(GeneratorSpec spec) {
            return checkGenerator(spec);
        }

        @Override
        public java.util.OptionalInt maxLength(GeneratorSpec spec) {
            return Generators.maxLength(spec);
        }
    };

    /** A vocabulary of these types, the real checks and strategies. */
    static Vocabulary vocabulary(List<StoreType> types) {
        return new Vocabulary(types, GENERATORS, Checks.KEYS, Checks.DURATION_KEYS, Set.of("single-user",
                "alternating-users", "dual-password", "keyset"));
    }

    static final ManifestLoader LOADER = new ManifestLoader(vocabulary(PROVIDERS));

    static Path manifests() {
        return Path.of("src/test/resources/manifests");
    }
}
