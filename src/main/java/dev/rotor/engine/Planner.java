package dev.rotor.engine;

import dev.rotor.generate.Generators;
import dev.rotor.manifest.Bindings;
import dev.rotor.manifest.EnvironmentSpec;
import dev.rotor.manifest.Manifest;
import dev.rotor.manifest.SecretSpec;
import dev.rotor.manifest.SecretValue;
import dev.rotor.manifest.StoreSpec;
import dev.rotor.manifest.TargetSpec;
import dev.rotor.manifest.UnresolvedReferenceException;
import dev.rotor.store.Address;
import dev.rotor.store.Owner;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Providers;
import dev.rotor.store.Store;
import dev.rotor.verify.Check;
import dev.rotor.verify.Checks;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a validated manifest into units, environment by environment and secret by secret in manifest order,
 * narrowed by secret and environment. Everything is rendered here, so a missing variable fails before any store is
 * touched. Each store is opened once per run for
 * each distinct rendered configuration and shared by every unit that names it.
 */
public final class Planner {
    private final Manifest manifest;
    private final ProviderContext context;
    private final SecureRandom random;
    private final Map<String, Store> openStores = new HashMap<>();

    public Planner(Manifest manifest, ProviderContext context, SecureRandom random) {
        this.manifest = manifest;
        this.context = context;
        this.random = random;
    }

    /** @throws PlanException naming the secret, environment and reference that could not be resolved */
    public List<Unit> units(Set<String> secrets, String environment) {
        if (environment != null && !manifest.environments().containsKey(environment)) {
            // Without environments, a run named for one (prod) would rotate the only values there are.
            throw new PlanException("unknown environment '" + environment + "'; the manifest has "
                    + (manifest.environments().isEmpty() ? "no environments (leave out --environment)"
                    : manifest.environments().keySet()));
        }
        for (String name : secrets) {
            if (!manifest.secrets().containsKey(name)) {
                throw new PlanException("unknown secret '" + name + "'; the manifest has " + manifest.secrets().keySet());
            }
        }
        List<Unit> units = new ArrayList<>();
        // Environment by environment, as the runbooks go (dev, then staging, then prod): with units stopping at the
        // first failure, nothing reaches a later environment after an earlier one failed.
        for (EnvironmentSpec env : manifest.environmentsFor(environment)) {
            for (SecretSpec secret : manifest.secrets().values()) {
                if (secrets.isEmpty() || secrets.contains(secret.name())) {
                    units.add(unit(secret, env));
                }
            }
        }
        return units;
    }

    private Unit unit(SecretSpec secret, EnvironmentSpec env) {
        String where = secret.name() + (env.name().isEmpty() ? "" : " (" + env.name() + ")");
        try {
            Bindings bindings = Bindings.of(manifest, env, context.environment());
            List<Target> targets = new ArrayList<>();
            for (TargetSpec t : secret.targets()) {
                if (Bindings.usesSecret(t.name())) {
                    // A keyset's entry per key version: named when a key id is known, shown as {kid} until then.
                    String shown = bindings.render(t.name(), new SecretValue("", Map.of(SecretValue.KID, "{kid}")));
                    targets.add(new Target(t.store(), store(t.store(), bindings),
                            new Address(shown, bindings.renderAll(t.scope())), t.name(), t.value(), t.next()));
                    continue;
                }
                String name = bindings.render(t.name());
                // validate checked every name it could render; one built from ${env:NAME} is only known now.
                String rejected = provider(manifest.stores().get(t.store())).checkTargetName(name);
                if (rejected != null) {
                    throw new PlanException("target name '" + name + "' is not valid for store '" + t.store() + "': "
                            + rejected);
                }
                targets.add(new Target(t.store(), store(t.store(), bindings),
                        new Address(name, bindings.renderAll(t.scope())), null, t.value(), t.next()));
            }
            Owner owner = null;
            if (secret.owner() != null) {
                StoreSpec spec = manifest.stores().get(secret.owner().store());
                owner = provider(spec).openOwner(spec.name(), settings(spec, bindings),
                        bindings.renderAll(secret.owner().options()), context);
            }
            List<Check> checks = secret.verify().stream()
                    .map(c -> Checks.create(c, bindings::render, context.baseDirectory(), context.progress())).toList();
            Unit.Hooks hooks = new Unit.Hooks(
                    secret.hooks().before() == null ? null : Checks.create(secret.hooks().before(), bindings::render,
                            context.baseDirectory(), context.progress()),
                    secret.hooks().after() == null ? null : Checks.create(secret.hooks().after(), bindings::render,
                            context.baseDirectory(), context.progress()));
            Journal journal = new Journal(secret.journal(), store(secret.journal(), bindings),
                    secret.name() + (env.name().isEmpty() ? "" : "." + env.name()));
            return new Unit(secret, env.name(), bindings,
                    Generators.create(secret.generate(), context.environment(), context.baseDirectory(), random),
                    owner, secret.owner() == null ? null : secret.owner().store(), Strategies.byName(secret.strategy()),
                    journal, targets, checks, hooks);
        } catch (RuntimeException e) {
            throw new PlanException(where + ": " + Failures.describe(e));
        }
    }

    private Store store(String name, Bindings bindings) {
        StoreSpec spec = manifest.stores().get(name);
        Map<String, Object> settings = settings(spec, bindings);
        return openStores.computeIfAbsent(name + "\u0000" + settings, k -> provider(spec).openStore(name, settings, context));
    }

    /** A store's settings rendered; a reference that cannot be (an unset ${env:...}) is named with its place. */
    private static Map<String, Object> settings(StoreSpec spec, Bindings bindings) {
        try {
            return bindings.renderAll(spec.settings());
        } catch (UnresolvedReferenceException e) {
            throw new PlanException(spec.location() + ": stores." + spec.name() + ": " + e.getMessage()
                    + " (set it where Rotor runs: export it, or pass it in the workflow step's env:)");
        }
    }

    private static Provider provider(StoreSpec spec) {
        return Providers.byType(spec.type()).orElseThrow(() -> new PlanException("unknown store type " + spec.type()));
    }

    /** A unit could not be resolved (exit 2): nothing was touched. */
    public static final class PlanException extends RuntimeException {
        public PlanException(String message) {
            super(message);
        }
    }
}
