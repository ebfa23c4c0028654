package dev.rotor.manifest;

import dev.rotor.generate.Generators;
import dev.rotor.store.Capability;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

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

    record FakeProvider(String type, Set<String> settingKeys, Set<String> requiredSettingKeys, Set<String> targetKeys,
                        Set<String> ownerKeys, boolean isStore, boolean isOwner, Set<Capability> capabilities,
                        UnaryOperator<String> nameRule) implements Provider {
        @Override
        public String checkTargetName(String name) {
            return nameRule.apply(name);
        }

        @Override
        public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
            throw new UnsupportedOperationException("a fake opens nothing");
        }
    }

    /** Like the local files store: readable, keeps a pending slot, on this machine's disk. */
    static final Provider FILES = new FakeProvider("files", Set.of("directory", "backups", "mode"), Set.of("directory"),
            Set.of(), Set.of(), true, false,
            Set.of(Capability.READABLE, Capability.PENDING_SLOT, Capability.COMPARE_AND_SET, Capability.LOCAL,
                    Capability.VERSIONED),
            name -> name.contains("/") || name.startsWith(".") ? "a file name must not contain '/' or start with '.'" : null);

    /** Like GitHub secrets: write-only. */
    static final Provider GITHUB = new FakeProvider("github", Set.of("repository", "token", "api-url"),
            Set.of("repository"), Set.of("environment", "visibility", "repositories"), Set.of(), true, false,
            Set.of(), name -> name.matches("[A-Z_][A-Z0-9_]*") ? null
            : "GitHub secret names are upper-case letters, digits and '_'");

    /** Like a PostgreSQL server: an owner only. */
    static final Provider POSTGRES = new FakeProvider("postgres", Set.of("host", "port", "admin-user", "admin-password"),
            Set.of("host"), Set.of(), Set.of("user"), false, true, Set.of(), name -> null);

    /** Like Vault KV: readable and durable. */
    static final Provider VAULT = new FakeProvider("vault", Set.of("address", "token", "mount"), Set.of("address"),
            Set.of(), Set.of(), true, false,
            Set.of(Capability.READABLE, Capability.PENDING_SLOT, Capability.COMPARE_AND_SET), name -> null);

    /** The fakes, and the real vault-kv provider for the one case of a required target key. */
    static final List<Provider> PROVIDERS = List.of(FILES, GITHUB, POSTGRES, VAULT, new dev.rotor.store.vault.VaultProvider());

    /** Generator types as the real ones; password options length (at least 8) and classes. */
    static List<Generators.OptionProblem> checkGenerator(dev.rotor.manifest.GeneratorSpec spec) {
        List<Generators.OptionProblem> problems = new ArrayList<>();
        if (!Generators.TYPES.contains(spec.type())) {
            problems.add(new Generators.OptionProblem("type", "unknown generator type '" + spec.type() + "'",
                    Suggestions.didYouMean(spec.type(), Generators.TYPES, "types")));
        } else if (spec.type().equals("password") && spec.options().get("length") instanceof Number n
                && n.intValue() < 8) {
            problems.add(new Generators.OptionProblem("length", "must be between 8 and 4096, not " + n, ""));
        }
        return problems;
    }

    static final ManifestLoader LOADER = new ManifestLoader(PROVIDERS, Fakes::checkGenerator);

    static Path manifests() {
        return Path.of("src/test/resources/manifests");
    }
}
